/**
 * What the telemetry push needs from the network layer, gathered from a client's
 * `network.connect` and `network.request` events: connections opened, and request latency per
 * broker and per API, as windows that reset at every push (Java reports windowed avg/max).
 */
import type { InstrumentationEmitter, NetworkEvents } from '../instrumentation/events.js';

/** Count, sum and max since the last `take()`. */
export class IntervalStat {
  count = 0;
  sum = 0;
  max = 0;

  record(v: number): void {
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** avg and max of the window, then a fresh window; undefined when nothing was recorded. */
  take(): { avg: number; max: number; count: number } | undefined {
    if (this.count === 0) return undefined;
    const out = { avg: this.sum / this.count, max: this.max, count: this.count };
    this.count = 0;
    this.sum = 0;
    this.max = 0;
    return out;
  }
}

export class NetworkStats {
  connectionsCreated = 0;
  private connectionsAtLastTake = 0;
  private lastTakeAt: number;
  /** Request latency (ms) by broker address (`host:port`). */
  readonly latencyByBroker = new Map<string, IntervalStat>();
  /** Request latency (ms) by API name (`Fetch`, `OffsetCommit`, …). */
  readonly latencyByApi = new Map<string, IntervalStat>();
  private readonly removers: Array<() => void> = [];

  constructor(emitter: InstrumentationEmitter<NetworkEvents> | undefined, now = Date.now()) {
    this.lastTakeAt = now;
    if (emitter === undefined) return;
    this.removers.push(
      emitter.on('network.connect', () => {
        this.connectionsCreated++;
      }),
      emitter.on('network.request', (e) => {
        const { broker, apiName, duration } = e.payload;
        stat(this.latencyByBroker, broker).record(duration);
        stat(this.latencyByApi, apiName).record(duration);
      }),
    );
  }

  /** Connections opened per second since the previous call. */
  connectionRate(now = Date.now()): number {
    const seconds = Math.max((now - this.lastTakeAt) / 1000, 0.001);
    const rate = (this.connectionsCreated - this.connectionsAtLastTake) / seconds;
    this.connectionsAtLastTake = this.connectionsCreated;
    this.lastTakeAt = now;
    return rate;
  }

  close(): void {
    for (const r of this.removers.splice(0)) r();
  }
}

function stat(map: Map<string, IntervalStat>, key: string): IntervalStat {
  let s = map.get(key);
  if (s === undefined) {
    s = new IntervalStat();
    map.set(key, s);
  }
  return s;
}
