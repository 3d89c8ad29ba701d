/**
 * The one retry engine of kafkats: every client's retried requests (cluster metadata and
 * routing, admin operations, producer coordinator and metadata waits) go through {@link retry}.
 *
 * The options mean what they mean in KafkaJS 2.2.4 (src/retry/index.js there), so a KafkaJS
 * configuration behaves the same:
 * - the first wait is `initialRetryTime` ± `factor` (randomized);
 * - each later wait is the previous one, randomized again by ± `factor`, times `multiplier`;
 * - every single wait is capped at `maxRetryTime` (a cap per wait, not a budget for all of them);
 * - after `retries` retries (so `retries + 1` calls in all) the last error is reported.
 */
import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument, KafkaJSNumberOfRetriesExceeded } from '../errors/network.js';

/** KafkaJS's `retry` option: same names, defaults and meanings (see the module comment). */
export interface RetryOptions {
  /** How many times to try again after the first attempt fails. Default 5. */
  retries?: number;
  /** The first wait in ms, before randomization. Default 300. */
  initialRetryTime?: number;
  /** The longest any single wait may be, in ms (not a total for all retries). Default 30000. */
  maxRetryTime?: number;
  /** Randomization: each wait is within ±factor of its nominal value (0 to 1). Default 0.2. */
  factor?: number;
  /** How much each wait grows over the previous one. Default 2. */
  multiplier?: number;
  /** Consumer only: whether to restart the consumer after its retries are exhausted. */
  restartOnFailure?: (error: Error) => Promise<boolean>;
}

export const DEFAULT_RETRY = Object.freeze({
  retries: 5,
  initialRetryTime: 300,
  maxRetryTime: 30_000,
  factor: 0.2,
  multiplier: 2,
});

/** A delay within `time ± factor·time`, rounded up. */
export function randomizedDelay(time: number, factor: number, random: () => number = Math.random): number {
  const delta = factor * time;
  return Math.ceil(time - delta + random() * 2 * delta);
}

/** The nominal delay before retry number `retryCount` (0-based), before jitter and cap. */
export function nominalDelay(retryCount: number, options: RetryOptions = {}): number {
  const o = { ...DEFAULT_RETRY, ...options };
  return Math.min(o.initialRetryTime * o.multiplier ** retryCount, o.maxRetryTime);
}

export function validateRetryOptions(options: RetryOptions, path = 'retry'): void {
  for (const key of ['retries', 'initialRetryTime', 'maxRetryTime', 'factor', 'multiplier'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      throw new KafkaJSInvalidArgument(`${path}.${key}`, `expected a non-negative number, got ${String(v)}`);
    }
  }
  if (options.factor !== undefined && options.factor > 1) {
    throw new KafkaJSInvalidArgument(`${path}.factor`, 'expected a number between 0 and 1');
  }
}

/** Stops retrying from inside the retried function: `bail(error)` rejects with `error` at once. */
export type Bail = (error: unknown) => never;

class BailSignal {
  constructor(readonly error: unknown) {}
}

export interface RetryHooks {
  /**
   * Which errors are worth another try. Default: a {@link KafkaJSError} marked `retriable`
   * (an error without the flag is a bug or a definite answer, and trying again hides it).
   */
  isRetriable?: (error: unknown) => boolean;
  /**
   * What to reject with once the retries are used up: `'wrap'` (default, as KafkaJS) wraps the
   * last error in {@link KafkaJSNumberOfRetriesExceeded}; `'rethrow'` rejects with the last error
   * itself, for callers whose users catch the broker's typed error (the producer's transactions).
   */
  exhausted?: 'wrap' | 'rethrow';
  /** Called before each wait; for logging. */
  onRetry?: (error: unknown, retryCount: number, delayMs: number) => void;
  /** Aborts the waits and the loop. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

function isRetriableKafkaError(error: unknown): boolean {
  return error instanceof KafkaJSError && error.retriable;
}

/**
 * Runs `fn` until it succeeds, retrying only errors that `hooks.isRetriable` accepts (by default
 * those marked `retriable`) after a randomized exponential backoff, and rejects with
 * {@link KafkaJSNumberOfRetriesExceeded} wrapping the last cause when the retries run out (or
 * with the cause itself, see {@link RetryHooks.exhausted}). Any other error is rethrown as it is.
 */
export async function retry<T>(
  fn: (bail: Bail, retryCount: number, retryTime: number) => Promise<T>,
  options: RetryOptions = {},
  hooks: RetryHooks = {},
): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...options };
  const sleep = hooks.sleep ?? defaultSleep;
  const bail: Bail = (error) => {
    throw new BailSignal(error);
  };
  let retryTime = randomizedDelay(o.initialRetryTime, o.factor);
  const started = Date.now();
  for (let retryCount = 0; ; retryCount++) {
    try {
      return await fn(bail, retryCount, retryTime);
    } catch (error) {
      if (error instanceof BailSignal) throw error.error;
      if (!(hooks.isRetriable ?? isRetriableKafkaError)(error)) throw error;
      if (retryCount >= o.retries) {
        if (hooks.exhausted === 'rethrow') throw error;
        throw new KafkaJSNumberOfRetriesExceeded(error, { retryCount, retryTime: Date.now() - started });
      }
      const delay = Math.min(retryTime, o.maxRetryTime);
      hooks.onRetry?.(error, retryCount, delay);
      await sleep(delay, hooks.signal);
      retryTime = Math.min(randomizedDelay(retryTime * o.multiplier, o.factor), o.maxRetryTime);
    }
  }
}
