/** Counting helpers shared by the runners. */
import { nowMs } from './stats.js';
import type { RunnerResult, RunSpec } from './types.js';

/**
 * Counts consumed records until the scenario's count is reached. The measured phase runs from the
 * first record to the last one, so that group joins and connection set-up (reported apart as
 * `startupMs`) do not dilute the steady rate, as Java's ConsumerPerformance reports fetch.nMsg.sec.
 */
export class ConsumeMeter {
  private seen = 0;
  private first = 0;
  private last = 0;
  private readonly started = nowMs();
  private resolveDone!: () => void;
  readonly done: Promise<void>;

  constructor(private readonly spec: RunSpec) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** `n` more records arrived. Returns true once the target is reached. */
  add(n: number): boolean {
    if (n <= 0) return this.seen >= this.spec.scenario.count;
    if (this.seen === 0) this.first = nowMs();
    const before = this.seen;
    this.seen += n;
    if (before < this.spec.scenario.count && this.seen >= this.spec.scenario.count) {
      this.last = nowMs();
      this.resolveDone();
    }
    return this.seen >= this.spec.scenario.count;
  }

  get count(): number {
    return this.seen;
  }

  /** Rejects `done` style waiting with a clear error when nothing (or too little) arrives in time. */
  async wait(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`consumed ${this.seen} of ${this.spec.scenario.count} in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  result(note?: string): RunnerResult {
    const count = Math.min(this.seen, this.spec.scenario.count);
    const r: RunnerResult = {
      count,
      bytes: count * this.spec.scenario.size,
      seconds: Math.max(1e-6, (this.last - this.first) / 1000),
      startupMs: this.first - this.started,
    };
    if (note) r.note = note;
    return r;
  }
}

/** How long a runner waits for its records before giving up: generous, a slow client is a result too. */
export function consumeTimeoutMs(spec: RunSpec): number {
  return 60_000 + spec.scenario.count * 0.5;
}

/**
 * Runs `sendChunk` over the scenario's records in chunks of `chunk`, with at most `window` chunks
 * unacknowledged, and times first send to last acknowledgement.
 */
export async function produceInChunks(
  spec: RunSpec,
  chunk: number,
  window: number,
  sendChunk: (n: number) => Promise<unknown>,
): Promise<RunnerResult> {
  const total = spec.scenario.count;
  const pending = new Set<Promise<unknown>>();
  const started = nowMs();
  for (let sent = 0; sent < total; sent += chunk) {
    const p = sendChunk(Math.min(chunk, total - sent));
    pending.add(p);
    p.then(
      () => pending.delete(p),
      () => pending.delete(p),
    );
    if (pending.size >= window) await Promise.race(pending);
  }
  await Promise.all(pending);
  const seconds = (nowMs() - started) / 1000;
  return { count: total, bytes: total * spec.scenario.size, seconds };
}
