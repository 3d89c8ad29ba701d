/**
 * The root of kafkats' typed errors. Every error the library throws or rejects with is an
 * instance of {@link KafkaJSError}, so one `instanceof` check separates Kafka failures from
 * bugs in the caller. The name is KafkaJS's so that programs migrating from KafkaJS keep
 * their `catch` blocks.
 */
export interface KafkaJSErrorOptions {
  /** Whether the operation may succeed if tried again (after a backoff, a reconnect or a metadata refresh). */
  retriable?: boolean;
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/**
 * KafkaJS's second argument of `new KafkaJSError(e, metadata)`. Only `retriable` changes the
 * error; the other fields are accepted so that KafkaJS-typed calls compile.
 */
export interface KafkaJSErrorMetadata extends KafkaJSErrorOptions {
  /** Topic the error concerns; accepted for KafkaJS's signature, not kept on the error. */
  topic?: string;
  /** Partition the error concerns; accepted, not kept. */
  partitionId?: number;
  /** The partition's metadata (KafkaJS's shape); accepted, not kept. */
  metadata?: {
    /** Kafka error code of the partition; 0 when none. */
    partitionErrorCode: number;
    /** Partition index. */
    partitionId: number;
    /** Node id of the leader. */
    leader: number;
    /** Node ids of the replicas. */
    replicas: number[];
    /** Node ids of the in-sync replicas. */
    isr: number[];
    /** Node ids of the offline replicas. */
    offlineReplicas?: number[];
  };
}

/**
 * The base class of every error kafkats throws, as in KafkaJS: check `retriable` and `name`, or use
 * `instanceof`.
 */
export class KafkaJSError extends Error {
  /** True when trying again may succeed; retry policies consult this. */
  readonly retriable: boolean;
  /** KafkaJS's link to its documentation for this error, copied from a wrapped error that has one. */
  declare readonly helpUrl?: string;
  /** The underlying error; always an Error (KafkaJS types it so), a thrown non-Error is wrapped. */
  declare readonly cause?: Error;

  /**
   * `e` is the message or an Error whose message is taken (KafkaJS's signature). A KafkaJSError
   * built directly is retriable unless told otherwise, as in KafkaJS; kafkats' own subclasses
   * say which they are.
   */
  constructor(e: Error | string, options: KafkaJSErrorMetadata = {}) {
    const cause = options.cause ?? (typeof e === 'string' ? undefined : e);
    super(typeof e === 'string' ? e : e.message, cause === undefined ? undefined : { cause: asError(cause) });
    this.name = new.target.name;
    this.retriable = options.retriable ?? new.target === KafkaJSError;
    const helpUrl = typeof e === 'object' ? (e as { helpUrl?: unknown }).helpUrl : undefined;
    if (typeof helpUrl === 'string') this.helpUrl = helpUrl;
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Bytes that do not decode as the Kafka protocol says they must: a frame cut short, a length
 * that points past the end, an invalid varint, a CRC mismatch, an unknown compression codec.
 * The connection that received them can no longer be trusted and is reset; the request may be
 * retried on a new connection, hence retriable.
 */
export class KafkaProtocolError extends KafkaJSError {
  /** Byte offset in the decoded buffer where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number, options: KafkaJSErrorOptions = {}) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`, {
      retriable: options.retriable ?? true,
      cause: options.cause,
    });
    this.offset = offset;
  }
}
