import { errorByCode, type KafkaErrorCode } from '../protocol/error-codes.js';
import { KafkaJSError } from './base.js';
import { kafkajsMessage } from './kafkajs-messages.js';

/** Options of {@link KafkaJSProtocolError}'s constructor. */
export interface KafkaJSProtocolErrorOptions {
  /** Overrides the table's retriable flag, for the few places where the context decides. */
  retriable?: boolean;
  /** The error this one wraps (shown as `cause`). */
  cause?: unknown;
}

/**
 * An error code a broker returned. `type` is Kafka's name for the code
 * (`NOT_LEADER_OR_FOLLOWER`), `code` its number, `retriable` whether the Java client retries
 * it, and `brokerMessage` the error message the broker sent with it, when it sent one.
 * `message` is KafkaJS's text for the code (Kafka's for codes newer than KafkaJS), followed by
 * "Broker message: …" when the broker sent one.
 *
 * Codes that clients branch on have subclasses (`NotLeaderOrFollowerError`, ...), generated from
 * the error table into protocol-classes.ts, so that `instanceof` works; every other code is a
 * plain KafkaJSProtocolError with its `type`. `name` is `KafkaJSProtocolError` for all of them, as
 * in KafkaJS. Build them with `createProtocolError`.
 */
export class KafkaJSProtocolError extends KafkaJSError {
  /** Kafka's name for the error code (`NOT_LEADER_OR_FOLLOWER`); compare with `Codes` names, not text. */
  readonly type: string;
  /** The error code the broker returned (a value of `Codes`). */
  readonly code: number;
  /** The message the broker sent with the code, when it sent one (newer APIs carry one). */
  readonly brokerMessage: string | undefined;

  constructor(
    code: number | KafkaErrorCode,
    brokerMessage?: string | null,
    options: KafkaJSProtocolErrorOptions = {},
  ) {
    const entry = typeof code === 'number' ? errorByCode(code) : code;
    // KafkaJS's text (a drop-in contract), then what the broker said, which KafkaJS dropped.
    const base = kafkajsMessage(entry);
    const text = brokerMessage
      ? `${base}${/[.!?]$/.test(base) ? '' : '.'} Broker message: ${brokerMessage}`
      : base;
    super(text, { retriable: options.retriable ?? entry.retriable, cause: options.cause });
    this.name = 'KafkaJSProtocolError';
    this.type = entry.type;
    this.code = entry.code;
    this.brokerMessage = brokerMessage ?? undefined;
  }
}
