/**
 * The one heartbeat driver of the KIP-848 and KIP-932 members: it owns the timer, runs one
 * heartbeat at a time (a heartbeat asked for while one is in flight is queued, and every caller
 * that asks meanwhile shares that queued one: it is built from the state at the moment it goes, so
 * one is enough), forgets the coordinator when a step says so, and turns the engine's `next` into
 * a delay (the coordinator's interval, a short pause, a growing backoff).
 */

import type { MemberEvent, NextBeat, Step } from './membership-engine.js';

/** Events that count as a failed heartbeat for the backoff. */
const FAILURES: ReadonlySet<MemberEvent> = new Set<MemberEvent>([
  'fenced',
  'coordinator-moved',
  'unreachable',
  'retriable',
  'fatal',
]);

export interface HeartbeatDriverOptions {
  /**
   * Sends one heartbeat built from the member's state now, digests the answer through the engine,
   * and returns the step. A request that fails is the `unreachable` event; the error travels in
   * the result so the caller that awaited it can count attempts and report it. Undefined when
   * the member has nothing to send (not subscribed, left, stopped by a fatal error).
   */
  beat(): Promise<BeatResult | undefined>;
  /** Drops the cached coordinator, so the next heartbeat looks it up again. */
  invalidateCoordinator(): void;
  /** The delay for `next: 'interval'` (the coordinator's heartbeat interval, or a faster one the adapter wants). */
  intervalMs(): number;
  /** Growing backoff for `next: 'backoff'`: `initialMs * 2^(n-1)` for the n-th failure in a row, at most `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
  /** Pause for `next: 'soon'` (a coordinator to find again). */
  soonMs: number;
  /** A heartbeat the timer started threw (not an error answer: those are steps). */
  onTimerError(error: Error): void;
}

export interface BeatResult {
  step: Step;
  error?: Error;
}

export class HeartbeatDriver {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<BeatResult | undefined> | undefined;
  private queued: Promise<BeatResult | undefined> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: HeartbeatDriverOptions) {}

  /** Failures in a row (error answers and unreachable coordinators), reset by an accepted heartbeat. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The backoff after `attempt` failures in a row. */
  backoffMs(attempt: number): number {
    const { initialMs, maxMs } = this.options.backoff;
    return Math.min(initialMs * 2 ** Math.max(0, attempt - 1), maxMs);
  }

  /**
   * Sends a heartbeat now, or right after the one in flight. Resolves with the step its answer
   * led to, after the next heartbeat has been scheduled from it.
   */
  now(): Promise<BeatResult | undefined> {
    this.cancelTimer();
    if (this.queued) return this.queued;
    if (!this.inFlight) {
      this.inFlight = this.run();
      return this.inFlight;
    }
    const after = this.inFlight.catch(() => undefined);
    this.queued = after.then(() => {
      this.queued = undefined;
      this.inFlight = this.run();
      return this.inFlight;
    });
    return this.queued;
  }

  /** The next heartbeat in `ms`, replacing a pending one. */
  schedule(ms: number): void {
    if (this.stopped) return;
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.now().catch((error: unknown) => this.options.onTimerError(error as Error));
    }, ms);
  }

  /** Resolves once no heartbeat is in flight or queued. */
  async idle(): Promise<void> {
    while (this.inFlight || this.queued) {
      await (this.queued ?? this.inFlight)?.catch(() => undefined);
    }
  }

  /** No more timed heartbeats (explicit `now()` calls still go, for the leave). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async run(): Promise<BeatResult | undefined> {
    try {
      const result = await this.options.beat();
      if (result) this.follow(result.step);
      return result;
    } finally {
      this.inFlight = undefined;
    }
  }

  /** Acts on a step: coordinator invalidation, the failure count, and when the next heartbeat goes. */
  private follow(step: Step): void {
    if (step.effects.includes('invalidate-coordinator')) this.options.invalidateCoordinator();
    if (FAILURES.has(step.event)) this.failures++;
    else if (step.event === 'accepted' || step.event === 'assigned' || step.event === 'reconciled')
      this.failures = 0;
    const delay = this.delayFor(step.next);
    if (delay === 'none') return;
    if (delay > 0) {
      this.schedule(delay);
      return;
    }
    // After this heartbeat settles, so the caller awaiting this step is not held by the next one.
    // A stopped driver still sends a leave that is due.
    if (this.stopped && step.to !== 'leaving') return;
    queueMicrotask(() => {
      this.now().catch((error: unknown) => this.options.onTimerError(error as Error));
    });
  }

  private delayFor(next: NextBeat): number | 'none' {
    switch (next) {
      case 'interval':
        return this.options.intervalMs();
      case 'now':
        return 0;
      case 'soon':
        return this.options.soonMs;
      case 'backoff':
        return this.backoffMs(this.failures);
      case 'stop':
        this.stop();
        return 'none';
      case 'keep':
        return 'none';
    }
  }
}
