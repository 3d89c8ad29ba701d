import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { InstrumentationEmitter, InstrumentationEvent, NetworkEvents } from './events.js';

/**
 * What every client's `on()` returns: call it to remove the listener (KafkaJS's
 * `RemoveInstrumentationEventListener`; the type parameter is the event name, as there).
 */
export type RemoveInstrumentationEventListener<_T> = () => void;

/** A listener of one event of a client: it receives KafkaJS's `{ id, type, timestamp, payload }` envelope. */
export type ClientEventListener<Events, E extends keyof Events> = (
  event: InstrumentationEvent<Events[E]>,
) => void;

/**
 * The one event shell behind the `on()` of every client (producer, consumer, admin, share
 * consumer). Before it each client had its own `on()`: different error classes for an unknown
 * name, different return types, one (the share consumer) with a hand-made listener map. Here the
 * rules are written once:
 *
 * - an event name is one of the client's names (or one of its aliases); anything else throws a
 *   non-retriable {@link KafkaJSInvalidArgument} naming the client and listing the names, because a
 *   misspelled name would otherwise silently never fire;
 * - the listener gets KafkaJS's envelope, built by the underlying {@link InstrumentationEmitter}
 *   (which skips all work when nobody listens and isolates listener exceptions);
 * - `on()` returns the remover.
 *
 * `Events` maps the public names to payloads. The underlying emitter may use other names (the
 * producer's emitter is prefixed and keyed without `producer.`): `internal` translates.
 */
export class ClientEvents<Events extends object> {
  private readonly names: ReadonlySet<string>;

  constructor(
    private readonly client: string,
    names: readonly (keyof Events & string)[],
    private readonly emitter: InstrumentationEmitter<object>,
    private readonly options: {
      /** Other accepted names for some events (`admin.request` for `admin.network.request`). */
      aliases?: Readonly<Record<string, keyof Events & string>>;
      /** The underlying emitter's name for a public name (identity by default). */
      internal?: (name: keyof Events & string) => string;
    } = {},
  ) {
    this.names = new Set(names);
  }

  /** The public name an accepted name (or alias) stands for; throws for an unknown one. */
  resolve(event: string): keyof Events & string {
    const name = this.options.aliases?.[event] ?? event;
    if (!this.names.has(name)) {
      throw new KafkaJSInvalidArgument(
        'eventName',
        `unknown ${this.client} event ${JSON.stringify(event)}; expected one of ${[...this.names].join(', ')}`,
      );
    }
    return name as keyof Events & string;
  }

  on<E extends keyof Events & string>(
    event: E,
    listener: ClientEventListener<Events, E>,
  ): RemoveInstrumentationEventListener<E> {
    const name = this.internalName(this.resolve(event));
    return (this.emitter as InstrumentationEmitter<Record<string, unknown>>).on(
      name,
      listener as (event: InstrumentationEvent<unknown>) => void,
    );
  }

  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    (this.emitter as InstrumentationEmitter<Record<string, unknown>>).emit(this.internalName(event), payload);
  }

  hasListeners(event: keyof Events & string): boolean {
    return (this.emitter as InstrumentationEmitter<Record<string, unknown>>).hasListeners(
      this.internalName(event),
    );
  }

  /**
   * Re-emits a cluster's `network.*` events as this client's (`consumer.network.request`, …);
   * `map` names the client's event for each network event it forwards. Returns the function that
   * stops forwarding.
   */
  forward(
    source: InstrumentationEmitter<NetworkEvents>,
    map: Partial<{ [N in keyof NetworkEvents]: keyof Events & string }>,
  ): () => void {
    const offs: Array<() => void> = [];
    for (const [from, to] of Object.entries(map) as Array<[keyof NetworkEvents, keyof Events & string]>) {
      offs.push(
        source.on(from, (event) => {
          if (this.hasListeners(to)) this.emit(to, event.payload as Events[typeof to]);
        }),
      );
    }
    return () => {
      for (const off of offs.splice(0)) off();
    };
  }

  private internalName(name: keyof Events & string): string {
    return this.options.internal ? this.options.internal(name) : name;
  }
}
