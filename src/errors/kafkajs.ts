/**
 * The rest of KafkaJS 2.2.4's exported error classes: the ones no kafkats layer has its own
 * class for. They keep KafkaJS's names, parents, constructor arguments, extra fields and
 * retriability, so that a migrated program's `catch` blocks, `instanceof` checks and
 * `new KafkaJS...(...)` calls (in its own code and tests) keep working.
 *
 * Where kafkats throws a class of its own for the same condition, the KafkaJS class recognises
 * it with `instanceof` (see {@link KafkaJSServerDoesNotSupportApiKey}); the others describe
 * conditions kafkats handles internally and rarely or never throws (a partial message at the
 * end of a fetch is skipped, a lock is not used, ...), and exist so that programs naming them
 * compile and run.
 */
import { Codes } from '../protocol/codes.js';
import { KafkaJSError } from './base.js';
import { KafkaJSNonRetriableError, KafkaJSUnsupportedVersion } from './network.js';
import { KafkaJSProtocolError } from './protocol.js';

/** KafkaJS's constructors take an Error or a message; the message is the Error's message. */
function messageOf(e: Error | string): string {
  return typeof e === 'string' ? e : e.message;
}

function causeOf(e: Error | string): unknown {
  return typeof e === 'string' ? undefined : e;
}

/** The protocol fields of an error KafkaJS wraps (`new KafkaJSCreateTopicError(protocolError, topic)`). */
function protocolFields(e: Error | string): { code: number; retriable: boolean | undefined } {
  if (e instanceof KafkaJSProtocolError) return { code: e.code, retriable: e.retriable };
  if (typeof e === 'object' && e !== null) {
    const { code, retriable } = e as { code?: unknown; retriable?: unknown };
    return {
      code: typeof code === 'number' ? code : -1,
      retriable: typeof retriable === 'boolean' ? retriable : undefined,
    };
  }
  return { code: -1, retriable: undefined };
}

/**
 * A protocol error whose message is the one given (KafkaJS's shape), not the code's table text.
 * The code defaults to UNKNOWN_SERVER_ERROR (-1) when the wrapped error carries none.
 */
abstract class WrappedProtocolError extends KafkaJSProtocolError {
  constructor(e: Error | string, fallbackCode?: number) {
    const fields = protocolFields(e);
    const code =
      fields.code === Codes.UNKNOWN_SERVER_ERROR && fallbackCode !== undefined ? fallbackCode : fields.code;
    // KafkaJS: the wrapped error's retriability, else retriable (its KafkaJSError default).
    super(code, undefined, { retriable: fields.retriable ?? true, cause: causeOf(e) });
    this.message = messageOf(e);
  }
}

/** The fetch offset is outside the log (OFFSET_OUT_OF_RANGE, code 1) for `topic`/`partition`. */
export class KafkaJSOffsetOutOfRange extends WrappedProtocolError {
  /** Topic of the partition whose offset was out of range. */
  readonly topic: string;
  /** Partition index. */
  readonly partition: number;

  /** `metadata` is optional as in KafkaJS's typings; without it `topic` is '' and `partition` -1. */
  constructor(e: Error | string, metadata?: { topic: string; partition: number }) {
    super(e, 1);
    this.name = 'KafkaJSOffsetOutOfRange';
    this.topic = metadata?.topic ?? '';
    this.partition = metadata?.partition ?? -1;
  }
}

/** The coordinator wants the member to join again with the member id it assigned (MEMBER_ID_REQUIRED, 79). */
export class KafkaJSMemberIdRequired extends WrappedProtocolError {
  /** Member id the broker assigned, to rejoin with. */
  readonly memberId: string;

  constructor(e: Error | string, metadata: { memberId: string }) {
    super(e, 79);
    this.name = 'KafkaJSMemberIdRequired';
    this.memberId = metadata.memberId;
  }
}

/** Creating `topic` failed with the wrapped protocol error (createTopics). */
export class KafkaJSCreateTopicError extends WrappedProtocolError {
  /** Topic that could not be created. */
  readonly topic: string;

  constructor(e: Error | string, topicName: string) {
    super(e);
    this.name = 'KafkaJSCreateTopicError';
    this.topic = topicName;
  }
}

/** Reassigning `topic`/`partition` failed with the wrapped protocol error (alterPartitionReassignments). */
export class KafkaJSAlterPartitionReassignmentsError extends WrappedProtocolError {
  /** Topic of the failed reassignment; undefined when the error is not about one partition. */
  readonly topic: string | undefined;
  /** Partition of the failed reassignment; undefined when the error is not about one partition. */
  readonly partition: number | undefined;

  constructor(e: Error | string, topicName?: string, partition?: number) {
    super(e);
    this.name = 'KafkaJSAlterPartitionReassignmentsError';
    this.topic = topicName;
    this.partition = partition;
  }
}

/**
 * The broker supports no version of an API this client needs. kafkats itself throws
 * {@link KafkaJSUnsupportedVersion} (same `apiKey` and `apiName` fields), which
 * `instanceof KafkaJSServerDoesNotSupportApiKey` also recognises.
 */
export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  /** Numeric API key the broker does not support; undefined when unknown. */
  readonly apiKey: number | undefined;
  /** Name of that API (e.g. `Produce`); undefined when unknown. */
  readonly apiName: string | undefined;

  constructor(e: Error | string, metadata: { apiKey?: number; apiName?: string } = {}) {
    super(messageOf(e), { cause: causeOf(e) });
    this.apiKey = metadata.apiKey;
    this.apiName = metadata.apiName;
  }
}

// `instanceof KafkaJSServerDoesNotSupportApiKey` also holds for kafkats' own error for the same
// condition. Only on this class itself: a subclass keeps the ordinary prototype check.
Object.defineProperty(KafkaJSServerDoesNotSupportApiKey, Symbol.hasInstance, {
  value: function hasInstance(this: new (...args: never[]) => unknown, value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === KafkaJSServerDoesNotSupportApiKey && value instanceof KafkaJSUnsupportedVersion;
  },
});

/** A partition's assignment names partitions the metadata does not know (yet). Retriable. */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  /** Topic of the assignment; undefined when unknown. */
  readonly topic: string | undefined;
  /** Partitions of the assignment that the topic's metadata does not know. */
  readonly unknownPartitions: unknown[] | undefined;

  constructor(e: Error | string, metadata: { topic?: string; unknownPartitions?: unknown[] } = {}) {
    super(messageOf(e), { retriable: true, cause: causeOf(e) });
    this.topic = metadata.topic;
    this.unknownPartitions = metadata.unknownPartitions;
  }
}

/** A message cut short at the end of a fetch response (kafkats skips these; kept for KafkaJS code). */
export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Partial message') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/** A feature this client does not implement. */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Not implemented') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/** An operation did not finish in its time budget. */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Timeout') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/** A lock was not acquired in time (KafkaJS's internal locks; kafkats has none, kept for KafkaJS code). */
export class KafkaJSLockTimeout extends KafkaJSTimeout {}

/** A legacy MessageSet entry with a magic byte other than 0 or 1. */
export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Unsupported magic byte in message set') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/** A state this client believed impossible: a bug in kafkats, worth an issue. */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  constructor(e: Error | string) {
    super(`Invariant violated: ${messageOf(e)}. This is likely a bug and should be reported.`, {
      cause: causeOf(e),
    });
  }
}

/**
 * A variable-length integer that does not decode. (KafkaJS names instances of this class and of
 * {@link KafkaJSInvalidLongError} `KafkaJSNonRetriableError`; kafkats uses the class names.)
 */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Invalid varint') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/** A 64-bit integer that does not decode or does not fit. */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  constructor(e: Error | string = 'Invalid long') {
    super(messageOf(e), { cause: causeOf(e) });
  }
}

/**
 * A fetch was abandoned because the group is rebalancing. KafkaJS's class is a bare Error used
 * inside its fetcher; kafkats' is a retriable {@link KafkaJSError} like every error it throws.
 */
export class KafkaJSFetcherRebalanceError extends KafkaJSError {
  constructor(e: Error | string = 'The group is rebalancing') {
    super(messageOf(e), { retriable: true, cause: causeOf(e) });
  }
}
