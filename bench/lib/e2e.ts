/**
 * The receiving side of a fixed-rate end-to-end run, shared by every Node runner: counts distinct
 * records and duplicates, records each record's latency from its scheduled send time, and says
 * when the client has fallen so far behind the schedule that the run measures a queue, not latency.
 */
import { type Dataset, seqOf } from './data.js';
import { epochMs } from './meter.js';
import { LatencyRecorder, nowMs, paced, scheduledAt } from './stats.js';
import type { RunnerResult, Scenario } from './types.js';

/**
 * A client more than this far behind its schedule ends the run as *saturated*: more than
 * SATURATION_MS × rate records were due (warm-up included) and have not arrived, or a record
 * arrived more than SATURATION_MS after its scheduled time. It cannot sustain
 * the rate, so its backlog, and every later record's latency, only grows with the run's length.
 * Such a run reports the rate it delivered (records received ÷ time since the schedule began) and
 * no percentiles (see docs/benchmarks.md). Healthy clients here stay below 0.1 s at 50k msgs/s.
 */
export const SATURATION_MS = 5_000;

/**
 * Untimed warm-up records of a fixed-rate run: a sixth of its length at its rate, 1 to 5 seconds.
 * Every client (the Java harness too) sends them through the same path right before the measured
 * schedule, which follows without a pause: the run measures a warmed client in steady state, not
 * its JIT compiling the send path (kafkats fell ~0.5 s behind in the first second at 50k msgs/s
 * without it). A backlog the warm-up leaves behind still counts against the measured records.
 */
export function e2eWarmup(s: Scenario): number {
  return Math.round(s.rate! * Math.max(1, Math.min(5, (s.seconds ?? 0) / 6)));
}

/** Sends `count` warm-up records at `rate` through `send` until `stop()` (values without a sequence number). */
function warmPhase(rate: number, count: number, send: () => void, stop: () => boolean): Promise<void> {
  return paced(
    rate,
    count,
    nowMs(),
    (from, to) => {
      for (let i = from; i < to; i++) send();
    },
    stop,
  );
}

export class E2eReceiver {
  private readonly latencies: LatencyRecorder;
  private readonly seen: Uint8Array;
  private distinct = 0;
  private duplicates = 0;
  /** Records received since the schedule began, warm-up ones included (no duplicates). */
  private received = 0;
  private scheduleMs = -1;
  private scheduled: number;
  private startMs = 0;
  private startEpochMs = 0;
  private endMs = 0;
  private watch?: NodeJS.Timeout;
  /** Set when the client fell SATURATION_MS behind: records received then, and how far behind. */
  private saturation?: { received: number; behindMs: number };
  private warmSeen!: () => void;
  private finish!: () => void;
  /** Resolves when the first warm-up record (no sequence number) has arrived. */
  readonly warm = new Promise<void>((r) => {
    this.warmSeen = r;
  });
  private readonly done = new Promise<void>((r) => {
    this.finish = r;
  });

  constructor(
    private readonly data: Dataset,
    private readonly count: number,
    private readonly rate: number,
  ) {
    this.latencies = new LatencyRecorder(count);
    this.seen = new Uint8Array(count);
    this.scheduled = count;
  }

  /** The warm-up phase of `records` at the run's rate starts now; the measured schedule follows it. */
  warmUp(records: number, at = nowMs()): void {
    this.scheduleMs = at;
    this.scheduled = records + this.count;
    this.watch = setInterval(() => this.check(), 100);
    this.watch.unref();
  }

  /** The measured schedule starts now (right after the warm-up phase). */
  begin(at = nowMs()): number {
    this.startMs = at;
    this.startEpochMs = epochMs();
    if (this.scheduleMs < 0) this.scheduleMs = at;
    return this.startMs;
  }

  /** True once the run is over (every record seen, or saturated): the sender stops scheduling. */
  get stopped(): boolean {
    return this.endMs > 0;
  }

  /**
   * Sends the run: `warmup` untimed records at the rate, then the measured schedule at once, each
   * through `send(i)` (i: the data record; undefined: a warm-up record), until the run is over.
   */
  async schedule(warmup: number, send: (i?: number) => void): Promise<void> {
    this.warmUp(warmup);
    await warmPhase(
      this.rate,
      warmup,
      () => send(),
      () => this.stopped,
    );
    await paced(
      this.rate,
      this.count,
      this.begin(),
      (from, to) => {
        for (let i = from; i < to; i++) send(i);
      },
      () => this.stopped,
    );
  }

  /** True when the run ended because the client fell too far behind. */
  get saturated(): boolean {
    return this.saturation !== undefined;
  }

  /** Ends the run as saturated if more than SATURATION_MS of the schedule is due and not received. */
  check(now = nowMs()): void {
    if (this.endMs > 0 || this.scheduleMs < 0) return;
    const due = Math.min(this.scheduled, ((now - this.scheduleMs) * this.rate) / 1000);
    const behindMs = ((due - this.received) * 1000) / this.rate;
    if (behindMs > SATURATION_MS) this.saturate(now, behindMs);
  }

  private saturate(now: number, behindMs: number): void {
    this.saturation = { received: this.received, behindMs };
    this.end(now);
  }

  /** One delivered record's value, as the consumer handed it over. */
  receive(value: Buffer | Uint8Array | null | undefined, now = nowMs()): void {
    const seq = seqOf(value);
    if (seq === undefined) {
      if (this.scheduleMs >= 0) this.received++;
      this.warmSeen();
      return;
    }
    const i = seq - this.data.base;
    if (this.seen[i]) {
      this.duplicates++;
      return;
    }
    this.seen[i] = 1;
    this.received++;
    const late = now - scheduledAt(i, this.startMs, this.rate);
    this.latencies.add(late);
    if (++this.distinct === this.count) this.end(now);
    // A run shorter than SATURATION_MS can never be that many records behind: a record this late
    // says the same.
    else if (late > SATURATION_MS) this.saturate(now, late);
    else this.check(now);
  }

  private end(now: number): void {
    if (this.endMs > 0) return;
    this.endMs = now;
    clearInterval(this.watch);
    this.finish();
  }

  /** Waits for the end of the run, or gives up after a minute past the schedule. */
  async wait(): Promise<void> {
    await atMost(this.done, 60_000 + this.count);
    this.end(nowMs());
  }

  result(failedSends: number): RunnerResult {
    if (this.saturation) {
      // The rate delivered: every record received since the schedule (warm-up included) began.
      const seconds = (this.endMs - this.scheduleMs) / 1000;
      return {
        count: this.saturation.received,
        bytes: this.saturation.received * this.data.size,
        seconds,
        startEpochMs: epochMs() - (nowMs() - this.scheduleMs),
        endEpochMs: epochMs() - (nowMs() - this.endMs),
        duplicates: this.duplicates,
        failedSends,
        saturated: { received: this.saturation.received, behindMs: Math.round(this.saturation.behindMs) },
      };
    }
    const seconds = (this.endMs - this.startMs) / 1000;
    return {
      count: this.distinct,
      bytes: this.distinct * this.data.size,
      seconds,
      startEpochMs: this.startEpochMs,
      endEpochMs: this.startEpochMs + seconds * 1000,
      duplicates: this.duplicates,
      failedSends,
      ...this.latencies.summary(),
    };
  }
}

/** Awaits `p` for at most `ms`: a saturated client may hold thousands of sends it never finishes. */
export async function atMost(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}
