/**
 * Errors of the admin client. A call that touches many items (topics, partitions, groups,
 * resources) reports each item's failure on its own: the broker's typed error for that item,
 * tagged with which item it concerns, collected in one {@link KafkaJSAggregateError} — never a
 * single opaque failure of the whole call.
 */
import { KafkaJSError } from '../errors/base.js';

/** Which item of a many-item admin call an error concerns. */
export interface AdminItemContext {
  /** Topic the failure concerns. */
  topic?: string;
  /** Partition the failure concerns. */
  partition?: number;
  /** Group id the failure concerns. */
  groupId?: string;
  /** Config or ACL resource type the failure concerns. */
  resourceType?: number;
  /** Name of the config or ACL resource the failure concerns. */
  resourceName?: string;
  /** Transactional id the failure concerns. */
  transactionalId?: string;
  /** SCRAM user the failure concerns. */
  user?: string;
  /** Broker the failure concerns (node id). */
  brokerId?: number;
}

/** An error tagged with the item it concerns (the properties of {@link AdminItemContext}). */
export type AdminItemError<E extends Error = Error> = E & AdminItemContext;

/** Tags `error` with the item it concerns, in place, and returns it. */
export function tagError<E extends Error>(error: E, context: AdminItemContext): AdminItemError<E> {
  return Object.assign(error, context);
}

/** Short text naming an item, for messages: `topic "t" partition 2`, `group "g"`. */
export function describeItem(context: AdminItemContext): string {
  const parts: string[] = [];
  if (context.topic !== undefined) parts.push(`topic "${context.topic}"`);
  if (context.partition !== undefined) parts.push(`partition ${context.partition}`);
  if (context.groupId !== undefined) parts.push(`group "${context.groupId}"`);
  if (context.resourceName !== undefined) parts.push(`resource "${context.resourceName}"`);
  if (context.transactionalId !== undefined) parts.push(`transactional id "${context.transactionalId}"`);
  if (context.user !== undefined) parts.push(`user "${context.user}"`);
  if (context.brokerId !== undefined) parts.push(`broker ${context.brokerId}`);
  return parts.join(' ');
}

function isRetriable(e: Error): boolean {
  return e instanceof KafkaJSError && e.retriable;
}

/**
 * Several items of one call failed. `errors` holds one typed error per failed item (each an
 * {@link AdminItemError}, tagged with the item it concerns); the message lists them. Retriable only when every item's error is.
 */
export class KafkaJSAggregateError extends KafkaJSError {
  /** One typed error per failed item, tagged with the item it concerns. */
  readonly errors: AdminItemError[];

  constructor(message: string, errors: AdminItemError[]) {
    const detail = errors
      .slice(0, 10)
      .map((e) => {
        const item = describeItem(e);
        return item ? `${item}: ${e.message}` : e.message;
      })
      .join('; ');
    const more = errors.length > 10 ? ` (and ${errors.length - 10} more)` : '';
    super(`${message}: ${detail}${more}`, { retriable: errors.length > 0 && errors.every(isRetriable) });
    this.errors = errors;
  }
}

/** Throws one {@link KafkaJSAggregateError} when `errors` is not empty. */
export function throwIfAny(message: string, errors: AdminItemError[]): void {
  if (errors.length > 0) throw new KafkaJSAggregateError(message, errors);
}

/** KafkaJS's error of deleteGroups: `groups` holds every group's result, failed ones with `error`. */
export class KafkaJSDeleteGroupsError extends KafkaJSError {
  /** Every group of the call with its outcome. */
  readonly groups: Array<{
    /** The group id. */
    groupId: string;
    /** Kafka error code; 0 when the group was deleted. */
    errorCode: number;
    /** The typed error of a group that was not deleted. */
    error?: Error;
  }>;

  constructor(message: string, groups: Array<{ groupId: string; errorCode: number; error?: Error }>) {
    const failed = groups.filter((g) => g.error !== undefined);
    const detail = failed.map((g) => `group "${g.groupId}": ${g.error?.message}`).join('; ');
    super(detail ? `${message}: ${detail}` : message, {
      retriable: failed.length > 0 && failed.every((g) => g.error !== undefined && isRetriable(g.error)),
    });
    this.groups = groups;
  }
}

/** KafkaJS's error of deleteTopicRecords: the partitions that failed, each with its error. */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  /** The partitions that failed. */
  readonly partitions: Array<{
    /** Partition index. */
    partition: number;
    /** Offset up to which records were to be deleted. */
    offset: string;
    /** The typed error of the failure. */
    error: Error;
  }>;

  constructor(topic: string, partitions: Array<{ partition: number; offset: string; error: Error }>) {
    const detail = partitions.map((p) => `partition ${p.partition}: ${p.error.message}`).join('; ');
    super(`Error deleting records of topic "${topic}": ${detail}`, {
      retriable: partitions.length > 0 && partitions.every((p) => isRetriable(p.error)),
    });
    this.partitions = partitions;
  }
}
