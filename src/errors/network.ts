import { KafkaJSError, type KafkaJSErrorOptions } from './base.js';

/**
 * Errors of the network layer: sockets, TLS, SASL, version negotiation, metadata and retries.
 * The names are KafkaJS's where KafkaJS has one, so that `catch` blocks written for KafkaJS keep
 * working. A connection failure ({@link KafkaJSConnectionError}) is a different class from a
 * broker's error code (`KafkaJSProtocolError`) and from undecodable bytes (`KafkaProtocolError`).
 */

/** `host:port` of the broker an error concerns, when one does. */
export type BrokerAddress = string;

/** A failure that trying again cannot fix: a bad option, a refused login, a missing version. */
export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(message: Error | string, options: Omit<KafkaJSErrorOptions, 'retriable'> = {}) {
    super(message, { ...options, retriable: false });
  }
}

/** An option passed to a constructor or a method is missing or wrong; the message names it. */
export class KafkaJSInvalidArgument extends KafkaJSNonRetriableError {
  /** The option path, for example `brokers` or `sasl.mechanism`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`Invalid option "${option}": ${message}`);
    this.option = option;
  }
}

export interface KafkaJSConnectionErrorOptions extends KafkaJSErrorOptions {
  /** `host:port` of the broker the connection was to. */
  broker?: BrokerAddress;
  /** Node's error code (`ECONNREFUSED`, `ERR_TLS_CERT_ALTNAME_INVALID`, …) or ours (`TLS_ERROR`, `CONNECTION_TIMEOUT`). */
  code?: string;
}

/**
 * The socket could not be opened, broke, or was closed while requests were pending. Retriable
 * by default: a reconnect (after a backoff) may succeed. TLS certificate failures are the
 * exception — they are raised with `retriable: false` and `code` set to Node's TLS code.
 */
export class KafkaJSConnectionError extends KafkaJSError {
  /** `host:port` of the broker the connection was to; undefined before a broker was chosen. */
  readonly broker: BrokerAddress | undefined;
  /**
   * Node's socket error code (`ECONNREFUSED`, ...) or kafkats' own (`TLS_ERROR`, `CONNECTION_TIMEOUT`);
   * undefined when there is none.
   */
  readonly code: string | undefined;

  constructor(message: Error | string, options: KafkaJSConnectionErrorOptions = {}) {
    super(message, { retriable: options.retriable ?? true, cause: options.cause });
    this.broker = options.broker;
    this.code = options.code;
  }
}

/** The connection closed (by us, the broker or the network) while a request was waiting for its answer. */
export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  constructor(message: string, options: KafkaJSConnectionErrorOptions = {}) {
    super(message, { code: 'CONNECTION_CLOSED', ...options });
  }
}

/** The second argument of `new KafkaJSRequestTimeoutError(message, details)` (KafkaJS's shape). */
export interface RequestTimeoutDetails {
  /** The broker's address, `host:port`. */
  broker: BrokerAddress;
  /** Correlation id of the request that timed out. */
  correlationId: number;
  /** When the request was queued, in milliseconds since the epoch. */
  createdAt: number;
  /** When it was written to the socket, in milliseconds since the epoch (0 if it never was). */
  sentAt: number;
  /** Milliseconds it waited in the queue before being written. */
  pendingDuration: number;
  /** Name of the API, e.g. `Fetch`; accepted, not kept on the error. */
  apiName?: string;
  /** KafkaJS's details carry the client id; accepted, not kept. */
  clientId?: string;
}

/**
 * No answer arrived within `requestTimeout`. A request that was written closes its connection
 * (as the Java client does: a silent socket cannot be trusted), so the retry goes over a new one.
 * Retriable.
 */
export class KafkaJSRequestTimeoutError extends KafkaJSError {
  /** `host:port` of the broker that did not answer. */
  readonly broker: BrokerAddress;
  /** Correlation id of the request that timed out. */
  readonly correlationId: number;
  /** When the request was created (milliseconds since the epoch). */
  readonly createdAt: number;
  /** When the request was written to the socket (milliseconds since the epoch). */
  readonly sentAt: number;
  /** Milliseconds the request waited in the queue before it was sent. */
  readonly pendingDuration: number;

  /** `details` is optional as in KafkaJS; without it the numbers are 0 and the broker ''. */
  constructor(message: Error | string, details?: RequestTimeoutDetails) {
    super(message, { retriable: true });
    this.broker = details?.broker ?? '';
    this.correlationId = details?.correlationId ?? 0;
    this.createdAt = details?.createdAt ?? 0;
    this.sentAt = details?.sentAt ?? 0;
    this.pendingDuration = details?.pendingDuration ?? 0;
  }
}

/** The retry policy ran out; `cause` is the last failure. */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  /** Retries made before giving up. */
  readonly retryCount: number;
  /** Milliseconds from the first attempt until giving up. */
  readonly retryTime: number;
  /** Always set (V8 fills it at construction); declared so the class assigns to KafkaJS's, which types it `string`. */
  declare stack: string;

  constructor(
    cause: unknown,
    details: { retryCount: number; retryTime: number } = { retryCount: 0, retryTime: 0 },
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`Gave up after ${details.retryCount} retries: ${why}`, { cause });
    this.retryCount = details.retryCount;
    this.retryTime = details.retryTime;
  }
}

/** The broker refused the credentials (or the SASL exchange broke). Never retried; never holds a secret. */
export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  /** `host:port` of the broker that refused; undefined when unknown. */
  readonly broker: BrokerAddress | undefined;
  /** SASL mechanism used (e.g. `SCRAM-SHA-256`); undefined when unknown. */
  readonly mechanism: string | undefined;

  // The arguments are optional as in KafkaJS's typings (`new KafkaJSSASLAuthenticationError()`).
  constructor(
    message = 'SASL authentication failed',
    options: { broker?: BrokerAddress; mechanism?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.broker = options.broker;
    this.mechanism = options.mechanism;
  }
}

/** The SASL mechanism asked for is neither built in nor enabled on the broker. */
export class KafkaJSUnsupportedMechanism extends KafkaJSSASLAuthenticationError {}

/** No version of an API is understood by both this client and the broker. */
export class KafkaJSUnsupportedVersion extends KafkaJSNonRetriableError {
  /** `host:port` of the broker; undefined when unknown. */
  readonly broker: BrokerAddress | undefined;
  /** Numeric API key of the request (e.g. 0 for Produce). */
  readonly apiKey: number;
  /** Name of the API (e.g. `Produce`). */
  readonly apiName: string;

  constructor(message: string, details: { broker?: BrokerAddress; apiKey: number; apiName: string }) {
    super(message);
    this.broker = details.broker;
    this.apiKey = details.apiKey;
    this.apiName = details.apiName;
  }
}

/** A node id that the metadata does not (or no longer) list. Retriable: a refresh may bring it back. */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  /** Node id that is not in the cluster's metadata; undefined when unknown. */
  readonly nodeId: number | undefined;

  constructor(message = 'Broker not found', options: { nodeId?: number } = {}) {
    super(message, { retriable: true });
    this.nodeId = options.nodeId;
  }
}

/** No bootstrap broker could be reached. Retriable. */
export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { retriable: true, cause: options.cause });
  }
}

/** Cluster metadata was asked for before it was ever loaded. Retriable. */
export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  constructor(message = 'Cluster metadata has not been loaded yet') {
    super(message, { retriable: true });
  }
}

/** A topic's metadata is not in the cache (yet). Retriable. */
export class KafkaJSTopicMetadataNotLoaded extends KafkaJSError {
  /** Topic whose metadata is not loaded. */
  readonly topic: string;

  /** As KafkaJS's: a message or an Error, and the topic optional (then ''). */
  constructor(message: string | Error, details: { topic?: string } = {}) {
    super(message, { retriable: true });
    this.topic = details.topic ?? '';
  }
}

/** No coordinator could be found for a group or a transactional id. Retriable. */
export class KafkaJSGroupCoordinatorNotFound extends KafkaJSError {
  constructor(message = 'Group coordinator not found', options: { cause?: unknown } = {}) {
    super(message, { retriable: true, cause: options.cause });
  }
}
