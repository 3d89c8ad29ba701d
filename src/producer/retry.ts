import type { RetryOptions } from './options.js';

/**
 * Runs `fn` again on retriable errors with KafkaJS's exponential backoff (initialRetryTime ×
 * multiplier^n, ± factor jitter, capped by maxRetryTime in total). Used for the coordinator
 * requests of transactions and for metadata waits; Produce retries are the sender's own.
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: Required<RetryOptions>,
  isRetriable: (error: unknown) => boolean = defaultRetriable,
): Promise<T> {
  const started = Date.now();
  let delay = options.initialRetryTime;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const elapsed = Date.now() - started;
      if (!isRetriable(error) || attempt >= options.retries || elapsed >= options.maxRetryTime) throw error;
      const jitter = 1 + (Math.random() * 2 - 1) * options.factor;
      const wait = Math.min(delay * jitter, Math.max(0, options.maxRetryTime - elapsed));
      await new Promise((r) => setTimeout(r, wait));
      delay *= options.multiplier;
    }
  }
}

export function defaultRetriable(error: unknown): boolean {
  return error instanceof Error && (error as { retriable?: boolean }).retriable === true;
}
