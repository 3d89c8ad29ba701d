import { KafkaJSError } from '../errors/base.js';
import { KafkaJSInvalidArgument, KafkaJSNumberOfRetriesExceeded } from '../errors/network.js';

/** KafkaJS's `retry` option, same names and defaults. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  /** First delay in ms. Default 300. */
  initialRetryTime?: number;
  /** Cap on any delay in ms. Default 30000. */
  maxRetryTime?: number;
  /** Randomization: each delay is within ±factor of its nominal value. Default 0.2. */
  factor?: number;
  /** Growth of the nominal delay per retry. Default 2. */
  multiplier?: number;
  /** Consumer-level: whether to restart after the retries are exhausted. */
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

/**
 * Runs `fn` until it succeeds, retrying only errors marked `retriable` (after a randomized
 * exponential backoff), and rejects with {@link KafkaJSNumberOfRetriesExceeded} wrapping the
 * last cause when the retries run out. A non-retriable error is rethrown as it is.
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
      const retriable = error instanceof KafkaJSError && error.retriable;
      if (!retriable) throw error;
      if (retryCount >= o.retries) {
        throw new KafkaJSNumberOfRetriesExceeded(error, { retryCount, retryTime: Date.now() - started });
      }
      const delay = Math.min(retryTime, o.maxRetryTime);
      hooks.onRetry?.(error, retryCount, delay);
      await sleep(delay, hooks.signal);
      retryTime = Math.min(randomizedDelay(retryTime * o.multiplier, o.factor), o.maxRetryTime);
    }
  }
}
