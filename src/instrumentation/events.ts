import { EventEmitter } from 'node:events';

/** Payload of `network.request`: one request answered (or sent, for a request with no answer). */
export interface NetworkRequestPayload {
  broker: string;
  clientId: string;
  correlationId: number;
  /** Bytes of the request frame, size prefix included. */
  size: number;
  createdAt: number;
  sentAt: number;
  /** Milliseconds the request waited in the queue before it was written to the socket. */
  pendingDuration: number;
  /** Milliseconds from being written to the socket to its answer. */
  duration: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
}

/** Payload of `network.request_timeout`. */
export interface NetworkRequestTimeoutPayload {
  broker: string;
  clientId: string;
  correlationId: number;
  createdAt: number;
  sentAt: number;
  pendingDuration: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
}

/** Payload of `network.request_queue_size`: requests waiting for a free in-flight slot or a drained socket. */
export interface NetworkRequestQueueSizePayload {
  broker: string;
  clientId: string;
  queueSize: number;
}

/** Payload of `network.connect` and `network.disconnect`. */
export interface NetworkConnectionPayload {
  broker: string;
  clientId: string;
  purpose: string;
}

/**
 * The network layer's events, named as KafkaJS names them without the client prefix (the
 * producer, consumer and admin re-emit them as `producer.network.request` and so on).
 */
export interface NetworkEvents {
  'network.request': NetworkRequestPayload;
  'network.request_timeout': NetworkRequestTimeoutPayload;
  'network.request_queue_size': NetworkRequestQueueSizePayload;
  'network.connect': NetworkConnectionPayload;
  'network.disconnect': NetworkConnectionPayload;
}

/** KafkaJS's event envelope: `{ id, type, timestamp, payload }`. */
export interface InstrumentationEvent<T> {
  /**
   * Unique per event, ascending. A string, as KafkaJS's declarations type it, so listeners typed
   * against KafkaJS's event types accept kafkats' events (KafkaJS itself emits a number).
   */
  id: string;
  type: string;
  timestamp: number;
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
      id: String(nextEventId++),
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
