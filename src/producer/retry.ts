import { type RetryOptions, retry } from '../network/retry.js';

/**
 * The producer's use of the shared retry engine (network/retry.ts), for the coordinator requests
 * of transactions and for metadata waits; Produce retries are the sender's own. The options mean
 * what they mean everywhere (`maxRetryTime` caps each wait). Once the retries are used up the
 * last error itself is thrown, so callers catch the broker's typed error (ProducerFencedError...).
 */
export function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
  isRetriable: (error: unknown) => boolean = defaultRetriable,
): Promise<T> {
  return retry((_bail, retryCount) => fn(retryCount), options, { isRetriable, exhausted: 'rethrow' });
}

/** Any error marked `retriable` (KafkaJS errors and the producer's own wrapped ones). */
export function defaultRetriable(error: unknown): boolean {
  return error instanceof Error && (error as { retriable?: boolean }).retriable === true;
}
