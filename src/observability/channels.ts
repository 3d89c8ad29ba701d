import type diagnosticsChannel from 'node:diagnostics_channel';
import { MessagingAttributes as A, type MessagingAttributeMap } from './attributes.js';
import { tracingChannel } from './diagnostics.js';

/**
 * The context object every kafkats operation channel publishes. `attributes` follow the
 * OpenTelemetry messaging conventions and are complete by `start`, except attributes only known
 * once the operation settled (the partition a send landed on), which are added before `asyncEnd`.
 * `result` or `error` are set by the TracingChannel when the operation settles.
 */
export interface OperationTraceContext {
  /** A span name in the conventions' form: `<operation> <destination>`, e.g. `send orders`. */
  name: string;
  /** `messaging.operation.name`: send, process, commit, rebalance. */
  operation: string;
  /** Span attributes named by {@link MessagingAttributes}; a send adds the partition once it settled. */
  attributes: MessagingAttributeMap;
  /**
   * The record a `process` operation handles (eachMessage only): read `headers` to continue a
   * trace its producer propagated (`traceparent`).
   */
  message?: {
    /** The record key as the handler receives it. */
    key: unknown;
    /** The record value as the handler receives it. */
    value: unknown;
    /** The record's offset (decimal string). */
    offset: string;
    /** The record headers. */
    headers: Record<string, unknown>;
  };
  /** What the operation resolved to, set by the TracingChannel once it settled. */
  result?: unknown;
  /** What the operation threw or rejected with, set by the TracingChannel. */
  error?: unknown;
}

/** Per `producer.send()` / `sendBatch()` / transactional send: one operation, `send`. */
export const produceChannel = tracingChannel<OperationTraceContext>('kafkats:produce');
/** Around each `eachMessage` (one record) or `eachBatch` (one batch) handler call: `process`. */
export const consumeChannel = tracingChannel<OperationTraceContext>('kafkats:consume');
/** Each offset commit made by the consumer's runner: `commit` (type `settle`). */
export const commitChannel = tracingChannel<OperationTraceContext>('kafkats:commit');
/** From the group coordinator asking for a rebalance to the member joining again: `rebalance`. */
export const rebalanceChannel = tracingChannel<OperationTraceContext>('kafkats:rebalance');

/** The channel names, for subscribers that prefer strings. */
export const ChannelNames = Object.freeze({
  /** Each send() or sendBatch() call of a producer. */
  PRODUCE: 'kafkats:produce',
  /** Each handler call (eachMessage or eachBatch) of a consumer. */
  CONSUME: 'kafkats:consume',
  /** Each offset commit made by the consumer's runner. */
  COMMIT: 'kafkats:commit',
  /** From the coordinator asking for a rebalance to the member joining again. */
  REBALANCE: 'kafkats:rebalance',
  /** Each request to a broker. */
  REQUEST: 'kafkats:request',
} as const);

/** The attributes every kafkats span carries. */
export function baseAttributes(
  operation: string,
  type: string | undefined,
  clientId: string | undefined,
): MessagingAttributeMap {
  const attributes: MessagingAttributeMap = {
    [A.SYSTEM]: 'kafka',
    [A.OPERATION_NAME]: operation,
  };
  if (type !== undefined) attributes[A.OPERATION_TYPE] = type;
  if (clientId) attributes[A.CLIENT_ID] = clientId;
  return attributes;
}

/** A key as the conventions want it: the string form; undefined for a null or non-UTF-8 key. */
export function keyAttribute(key: unknown): string | undefined {
  if (key === null || key === undefined) return undefined;
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) {
    const s = key.toString('utf8');
    // Binary keys would make a useless, possibly huge attribute.
    return s.includes('\uFFFD') || s.length > 256 ? undefined : s;
  }
  return undefined;
}

/** `host:port` → the `server.address` / `server.port` pair. */
export function serverAttributes(broker: string | undefined, into: MessagingAttributeMap): void {
  if (!broker) return;
  const i = broker.lastIndexOf(':');
  if (i <= 0) {
    into[A.SERVER_ADDRESS] = broker;
    return;
  }
  into[A.SERVER_ADDRESS] = broker.slice(0, i);
  const port = Number(broker.slice(i + 1));
  if (Number.isInteger(port)) into[A.SERVER_PORT] = port;
}

/**
 * Publishes a rebalance that is not one function call (it starts on one event and ends on
 * another): `start`+`end` when it begins, `asyncStart`+`asyncEnd` (or `error`) when it is over,
 * on the same context object, as `tracePromise` would.
 */
export class PendingOperation {
  constructor(
    private readonly channel: diagnosticsChannel.TracingChannel<OperationTraceContext>,
    readonly context: OperationTraceContext,
  ) {
    channel.start.publish(context);
    channel.end.publish(context);
  }

  finish(error?: unknown, result?: unknown): void {
    const c = this.context;
    if (error !== undefined) {
      c.error = error;
      this.channel.error.publish(c);
    } else c.result = result;
    this.channel.asyncStart.publish(c);
    this.channel.asyncEnd.publish(c);
  }
}
