import { KafkaJSBufferExhaustedError } from './errors.js';

interface Waiter {
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  startedAt: number;
}

/**
 * Counts the bytes of records held by the producer (appended, not yet acknowledged) against
 * `bufferMemory`. When the budget is spent, `reserve()` makes the caller wait, first come first
 * served, until acknowledgements free enough, or fails after `maxBlockMs`: backpressure instead of
 * unbounded memory growth when brokers are slower than the application.
 */
export class BufferMemory {
  private used = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly limit: number,
    private readonly maxBlockMs: number,
  ) {}

  get usedBytes(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes `bytes` now if free and nobody waits ahead; returns false otherwise (call {@link reserve}). */
  tryReserve(bytes: number): boolean {
    if (this.waiters.length > 0 || this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  reserve(bytes: number): Promise<void> {
    if (this.tryReserve(bytes)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { bytes, resolve, reject, timer: undefined, startedAt: Date.now() };
      if (this.maxBlockMs >= 0) {
        waiter.timer = setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new KafkaJSBufferExhaustedError(bytes, Date.now() - waiter.startedAt, this.limit));
          this.wakeWaiters();
        }, this.maxBlockMs);
      }
      this.waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.used -= bytes;
    if (this.used < 0) this.used = 0;
    this.wakeWaiters();
  }

  /** Fails every waiter (the producer is closing). */
  rejectAll(error: unknown): void {
    for (const w of this.waiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(error);
    }
  }

  private wakeWaiters(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      if (this.used + w.bytes > this.limit) return;
      this.waiters.shift();
      if (w.timer) clearTimeout(w.timer);
      this.used += w.bytes;
      w.resolve();
    }
  }
}
