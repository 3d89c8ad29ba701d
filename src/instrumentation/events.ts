import { EventEmitter } from 'node:events';

/** Payload of `network.request`: one request answered (or sent, for a request with no answer). */
export interface NetworkRequestPayload {
  /** The broker's address, `host:port`. */
  broker: string;
  /** The client's `clientId` setting. */
  clientId: string;
  /** Correlation id of the request on its connection. */
  correlationId: number;
  /** Bytes of the request frame, size prefix included. */
  size: number;
  /** When the request was queued, in milliseconds since the epoch. */
  createdAt: number;
  /** When the request was written to the socket, in milliseconds since the epoch. */
  sentAt: number;
  /** Milliseconds the request waited in the queue before it was written to the socket. */
  pendingDuration: number;
  /** Milliseconds from being written to the socket to its answer. */
  duration: number;
  /** Name of the API, e.g. `Produce`, `Fetch`, `Metadata`. */
  apiName: string;
  /** Numeric API key of the request (0 Produce, 1 Fetch, 3 Metadata...). */
  apiKey: number;
  /** API version the request was encoded with. */
  apiVersion: number;
}

/** Payload of `network.request_timeout`. */
export interface NetworkRequestTimeoutPayload {
  /** The broker's address, `host:port`. */
  broker: string;
  /** The client's `clientId` setting. */
  clientId: string;
  /** Correlation id of the request on its connection. */
  correlationId: number;
  /** When the request was queued, in milliseconds since the epoch. */
  createdAt: number;
  /** When the request was written to the socket, in milliseconds since the epoch (0 if it never was). */
  sentAt: number;
  /** Milliseconds the request waited in the queue before it was written to the socket. */
  pendingDuration: number;
  /** Name of the API, e.g. `Produce`, `Fetch`, `Metadata`. */
  apiName: string;
  /** Numeric API key of the request. */
  apiKey: number;
  /** API version the request was encoded with. */
  apiVersion: number;
}

/** Payload of `network.request_queue_size`: requests waiting for a free in-flight slot or a drained socket. */
export interface NetworkRequestQueueSizePayload {
  /** The broker's address, `host:port`. */
  broker: string;
  /** The client's `clientId` setting. */
  clientId: string;
  /** Requests now waiting on the connection. */
  queueSize: number;
}

/** Payload of `network.connect` and `network.disconnect`. */
export interface NetworkConnectionPayload {
  /** The broker's address, `host:port`. */
  broker: string;
  /** The client's `clientId` setting. */
  clientId: string;
  /** What the connection carries: `default`, `produce` or `fetch` (each has its own socket per broker). */
  purpose: string;
}

/**
 * The network layer's events, named as KafkaJS names them without the client prefix (the
 * producer, consumer and admin re-emit them as `producer.network.request` and so on).
 */
export interface NetworkEvents {
  /** A request a broker answered. */
  'network.request': NetworkRequestPayload;
  /** A request that got no answer within the request timeout. */
  'network.request_timeout': NetworkRequestTimeoutPayload;
  /** A connection's queue of waiting requests changed size. */
  'network.request_queue_size': NetworkRequestQueueSizePayload;
  /** A socket to a broker was opened (before the ApiVersions and SASL handshake). */
  'network.connect': NetworkConnectionPayload;
  /** A connection to a broker was closed. */
  'network.disconnect': NetworkConnectionPayload;
}

/** KafkaJS's event envelope: `{ id, type, timestamp, payload }`. */
export interface InstrumentationEvent<T> {
  /**
   * Sequence number of the event within this process, increasing. A number, as KafkaJS emits it
   * (its declarations say string; a listener comparing ids keeps working).
   */
  id: number;
  /** Event name, e.g. `consumer.group_join`. */
  type: string;
  /** When the event was emitted (milliseconds since the epoch). */
  timestamp: number;
  /** The event's data; its shape depends on `type`. */
  payload: T;
}

let nextEventId = 0;

/**
 * A small typed emitter. `emit` builds the KafkaJS envelope and skips all work when nobody
 * listens, so the hot path pays one `listenerCount` call.
 */
export class InstrumentationEmitter<Events extends object = NetworkEvents> {
  private readonly emitter = new EventEmitter();

  constructor(private readonly prefix = '') {
    this.emitter.setMaxListeners(0);
  }

  /** Adds a listener of one event; returns the function that removes it. */
  on<K extends keyof Events & string>(
    type: K,
    listener: (event: InstrumentationEvent<Events[K]>) => void,
  ): () => void {
    const name = this.prefix + type;
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  /** Whether anyone listens to the event (checked before building a costly payload). */
  hasListeners(type: keyof Events & string): boolean {
    return this.emitter.listenerCount(this.prefix + type) > 0;
  }

  /** Delivers the event in KafkaJS's envelope to each listener; does nothing when nobody listens. */
  emit<K extends keyof Events & string>(type: K, payload: Events[K]): void {
    const name = this.prefix + type;
    if (this.emitter.listenerCount(name) === 0) return;
    const event: InstrumentationEvent<Events[K]> = {
      id: nextEventId++,
      type: name,
      timestamp: Date.now(),
      payload,
    };
    // Each listener on its own: a listener's exception must neither fail the request that
    // triggered the event nor keep the listeners after it from hearing about it.
    for (const listener of this.emitter.listeners(name) as Array<(e: typeof event) => void>) {
      try {
        listener(event);
      } catch {
        // ignored, see above
      }
    }
  }

  /** Removes every listener of every event. */
  removeAllListeners(): void {
    this.emitter.removeAllListeners();
  }
}
