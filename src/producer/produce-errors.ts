import { Codes } from '../protocol/codes.js';

/**
 * How the sender reacts to each Produce error code: the policy sets below, written with the
 * generated {@link Codes} names. The broker's error becomes a typed protocol error via the
 * protocol layer's factory; these sets only decide the producer's reaction.
 */

/** Errors after which the partition's leader may have moved: refresh metadata before retrying. */
const REFRESH = new Set<number>([
  Codes.UNKNOWN_TOPIC_OR_PARTITION,
  Codes.LEADER_NOT_AVAILABLE,
  Codes.NOT_LEADER_OR_FOLLOWER,
  Codes.FENCED_LEADER_EPOCH,
  Codes.UNKNOWN_LEADER_EPOCH,
  Codes.KAFKA_STORAGE_ERROR,
]);

/** Retriable Produce partition errors (same batch, same sequence, after a backoff). */
const RETRY = new Set<number>([
  ...REFRESH,
  Codes.CORRUPT_MESSAGE,
  Codes.REQUEST_TIMED_OUT,
  Codes.NETWORK_EXCEPTION,
  Codes.NOT_ENOUGH_REPLICAS,
  Codes.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  Codes.CONCURRENT_TRANSACTIONS,
]);

export function needsMetadataRefresh(code: number): boolean {
  return REFRESH.has(code);
}

export function isRetriableProduceError(code: number): boolean {
  return RETRY.has(code);
}
