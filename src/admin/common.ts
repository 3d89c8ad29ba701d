/** Helpers shared by the admin area modules: error codes, typed per-item errors, small conversions. */
import { createProtocolError, type KafkaJSProtocolError } from '../errors/protocol.js';
import { Codes } from '../protocol/codes.js';
import { type AdminItemContext, type AdminItemError, tagError } from './errors.js';

/** Error codes by name, from the one generated table; re-exported for the admin's modules. */
export { Codes };

/** The broker's typed error for `code`, carrying its message and tagged with the item it concerns. */
export function brokerError(
  code: number,
  message: string | null | undefined,
  context: AdminItemContext = {},
): AdminItemError<KafkaJSProtocolError> {
  return tagError(createProtocolError(code, message ?? null), context);
}

/** Coordinator codes that mean "ask FindCoordinator again". */
export function isCoordinatorMoved(code: number): boolean {
  return code === Codes.NOT_COORDINATOR || code === Codes.COORDINATOR_NOT_AVAILABLE;
}

/** Leadership codes that mean "refresh the metadata and route again". */
export function isStaleLeader(code: number): boolean {
  return (
    code === Codes.NOT_LEADER_OR_FOLLOWER ||
    code === Codes.LEADER_NOT_AVAILABLE ||
    code === Codes.UNKNOWN_TOPIC_OR_PARTITION
  );
}

export const DEFAULT_ADMIN_TIMEOUT = 5000;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function byPartition<T extends { partition: number }>(a: T, b: T): number {
  return a.partition - b.partition;
}
