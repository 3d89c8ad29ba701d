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

export class KafkaJSError extends Error {
  /** True when trying again may succeed; retry policies consult this. */
  readonly retriable: boolean;

  constructor(message: string, options: KafkaJSErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
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
