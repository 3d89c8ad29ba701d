/**
 * The share consumer (KIP-932, "queues for Kafka"): members of a share group divide records, not
 * partitions. Several consumers read the same partition; each record is acquired by one of them
 * for a limited time (the acquisition lock) and acknowledged as accepted, released (delivered
 * again) or rejected (never again).
 *
 * This module is the public front end: option checks, lifecycle, `on()` and the handler loops
 * (`run`, `for await`). The membership beat, the per-broker loops, the delivery queue and the
 * acknowledgement state live in the internal {@link ShareConsumerCore}.
 */
import { KafkaJSInvalidArgument } from '../errors/network.js';
import type { ClientEventListener, RemoveInstrumentationEventListener } from '../instrumentation/emitter.js';
import type { Logger } from '../logger.js';
import { ShareGroupHeartbeat } from '../protocol/messages/share-group-heartbeat.js';
import { type CreateShareConsumerContext, ShareConsumerCore } from './core.js';
import { KafkaJSShareConsumerStateError } from './errors.js';
import {
  SHARE_CONSUMER_EVENTS,
  SHARE_CONSUMER_SHORT_NAMES,
  type ShareConsumerEventName,
  type ShareConsumerEvents,
} from './events.js';
import type { FetcherHost, ShareDelivery } from './fetcher.js';
import type {
  AcknowledgementMode,
  ShareConsumerEventMap,
  ShareConsumerOptions,
  ShareEachMessagePayload,
  ShareRunOptions,
  ShareSubscribeOptions,
} from './types.js';

/** @inline */
type Listener<E extends keyof ShareConsumerEventMap> = (event: ShareConsumerEventMap[E]) => void;

function validateOptions(options: ShareConsumerOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new KafkaJSInvalidArgument('options', 'expected an object with a groupId');
  if (typeof options.groupId !== 'string' || options.groupId.length === 0)
    throw new KafkaJSInvalidArgument('groupId', 'expected a non-empty string');
  if (
    options.acknowledgementMode !== undefined &&
    !['implicit', 'explicit'].includes(options.acknowledgementMode)
  )
    throw new KafkaJSInvalidArgument('acknowledgementMode', 'expected "implicit" or "explicit"');
  for (const key of [
    'maxWaitTimeInMs',
    'minBytes',
    'maxBytes',
    'maxRecords',
    'maxDecompressedBatchBytes',
  ] as const) {
    const v = options[key];
    if (
      v !== undefined &&
      (typeof v !== 'number' || !Number.isInteger(v) || v < (key === 'maxWaitTimeInMs' ? 0 : 1))
    )
      throw new KafkaJSInvalidArgument(key, `expected a positive integer, got ${String(v)}`);
  }
  if (options.onAcknowledgementCommit !== undefined && typeof options.onAcknowledgementCommit !== 'function')
    throw new KafkaJSInvalidArgument('onAcknowledgementCommit', 'expected a function');
}

/**
 * A share-group consumer (KIP-932), from `kafka.shareConsumer()`: `connect()`, `subscribe()`,
 * then `run()` or `for await`; each record is acknowledged (accepted, released or rejected)
 * rather than committed by offset. See docs/share-groups.md.
 */
export class ShareConsumer {
  /** The share group this consumer joins. */
  readonly groupId: string;
  /** How records are acknowledged: `implicit` (the default) or `explicit`. */
  readonly mode: AcknowledgementMode;
  /** The consumer's logger, namespaced `ShareConsumer`. */
  readonly logger: Logger;
  /** The ShareFetch settings in effect, from the options with their defaults applied. */
  readonly settings: FetcherHost['settings'];
  /** The event names `on()` accepts (KafkaJS's `consumer.events` counterpart). */
  readonly events = SHARE_CONSUMER_EVENTS;
  private readonly core: ShareConsumerCore;

  /** @internal Use `kafka.shareConsumer()`. */
  constructor(context: CreateShareConsumerContext, options: ShareConsumerOptions) {
    validateOptions(options);
    this.core = new ShareConsumerCore(context, options);
    this.groupId = this.core.groupId;
    this.mode = this.core.mode;
    this.logger = this.core.logger;
    this.settings = this.core.settings;
  }

  /** The member id this consumer generated (stable for its lifetime). */
  get memberId(): string {
    return this.core.memberId;
  }

  /** True once `disconnect()` started (or the consumer crashed); a handler may check it to stop early. */
  get stopping(): boolean {
    return this.core.stopping;
  }

  /**
   * Listens to a share consumer event (`share.connect`, `share.group_join`, …, see
   * {@link SHARE_CONSUMER_EVENTS}); the listener receives KafkaJS's `{ id, type, timestamp,
   * payload }` envelope. The earlier short names `crash`, `assignment` and `acknowledgement` are
   * still accepted and give their listener the payload alone. Returns the function that removes
   * the listener; an unknown name throws {@link KafkaJSInvalidArgument}.
   */
  on<E extends ShareConsumerEventName>(
    event: E,
    listener: ClientEventListener<ShareConsumerEvents, E>,
  ): RemoveInstrumentationEventListener<E>;
  /** @deprecated Use the `share.*` names ({@link SHARE_CONSUMER_EVENTS}); these give the listener the bare payload. */
  on<E extends keyof ShareConsumerEventMap>(
    event: E,
    listener: Listener<E>,
  ): RemoveInstrumentationEventListener<E>;
  on(event: string, listener: (event: never) => void): RemoveInstrumentationEventListener<string> {
    const emitter = this.core.emitter;
    const short = SHARE_CONSUMER_SHORT_NAMES[event as keyof ShareConsumerEventMap];
    if (short === undefined) {
      return emitter.on(
        emitter.resolve(event),
        listener as ClientEventListener<ShareConsumerEvents, ShareConsumerEventName>,
      );
    }
    return emitter.on(short, (e) => (listener as (payload: unknown) => void)(e.payload));
  }

  /** Connects and checks that the cluster serves share groups (Kafka 4.x, `share.version` ≥ 1); emits `share.connect`. */
  async connect(): Promise<void> {
    const core = this.core;
    if (core.connected) return;
    await core.cluster.connect();
    const connection = await core.cluster.anyConnection();
    if (!connection.apiVersions?.has(ShareGroupHeartbeat.apiKey)) {
      throw new KafkaJSShareConsumerStateError(
        `Broker ${connection.broker} does not serve share groups (no ShareGroupHeartbeat): share groups need ` +
          'Kafka 4.0+ with the share.version feature enabled (on by default from 4.2)',
      );
    }
    core.connected = true;
    core.emitter.emit(SHARE_CONSUMER_EVENTS.CONNECT, null);
  }

  /** Adds topics (names, no patterns) to the subscription; the share group assigns their partitions. */
  async subscribe(options: ShareSubscribeOptions): Promise<void> {
    if (!options || !Array.isArray(options.topics) || options.topics.length === 0)
      throw new KafkaJSInvalidArgument('topics', 'expected a non-empty array of topic names');
    for (const t of options.topics) {
      if (typeof t !== 'string' || t.length === 0)
        throw new KafkaJSInvalidArgument('topics', 'share groups subscribe to topic names (no patterns)');
    }
    const membership = this.core.membership;
    membership.subscribe([...membership.subscription, ...options.topics]);
    this.core.cluster.addTargetTopics(options.topics);
    if (this.core.started) this.core.heartbeatNow();
  }

  /**
   * Starts consuming with `eachMessage` or `eachBatch`; resolves once started. A handler that
   * returns accepts (implicit mode) the records it did not acknowledge; one that throws releases them.
   */
  async run(options: ShareRunOptions): Promise<void> {
    if (!options || (typeof options.eachMessage !== 'function') === (typeof options.eachBatch !== 'function'))
      throw new KafkaJSInvalidArgument('run', 'pass exactly one of eachMessage or eachBatch');
    this.claim('run');
    this.core.start();
    this.core.runner = this.runLoop(options).catch((error: unknown) => this.core.fatal(error as Error));
  }

  private claim(how: 'run' | 'iterator'): void {
    const core = this.core;
    if (!core.connected) throw new KafkaJSShareConsumerStateError('Call connect() before consuming');
    if (core.membership.subscription.length === 0)
      throw new KafkaJSShareConsumerStateError('Call subscribe({ topics }) before consuming');
    if (core.stopping) throw new KafkaJSShareConsumerStateError('The share consumer is disconnected');
    if (core.consuming)
      throw new KafkaJSShareConsumerStateError(`The share consumer is already consuming (${core.consuming})`);
    core.consuming = how;
  }

  // ---- delivering to the application --------------------------------------------------------------

  private async runLoop(options: ShareRunOptions): Promise<void> {
    for (;;) {
      const delivery = await this.core.nextDelivery();
      if (!delivery) return;
      try {
        if (options.eachBatch) await this.handleBatch(delivery, options.eachBatch);
        else await this.handleMessages(delivery, options.eachMessage!);
      } finally {
        delivery.loop.delivered();
      }
    }
  }

  private async handleMessages(
    delivery: ShareDelivery,
    eachMessage: NonNullable<ShareRunOptions['eachMessage']>,
  ): Promise<void> {
    const { messages, offsets } = this.core.live(delivery);
    for (let i = 0; i < messages.length; i++) {
      const offset = offsets[i]!;
      if (this.core.stopping) {
        this.core.settle(delivery, offsets.slice(i), true);
        return;
      }
      if (!delivery.acks.isHeld(offset)) continue;
      let failed = false;
      try {
        await eachMessage({
          topic: delivery.topic,
          partition: delivery.partition,
          message: messages[i]!,
          acknowledge: (type) => this.core.acknowledgeRecord(delivery, offset, type),
        });
      } catch (error) {
        failed = true;
        this.logger.warn('eachMessage threw; releasing the record for redelivery', {
          topic: delivery.topic,
          partition: delivery.partition,
          offset,
          error: (error as Error).message,
        });
      }
      this.core.settle(delivery, [offset], failed);
    }
  }

  private async handleBatch(
    delivery: ShareDelivery,
    eachBatch: NonNullable<ShareRunOptions['eachBatch']>,
  ): Promise<void> {
    const { messages, offsets } = this.core.live(delivery);
    if (messages.length === 0) return;
    const offsetOf = new Map(messages.map((m, i) => [m, offsets[i]!]));
    let failed = false;
    try {
      await eachBatch({
        batch: { topic: delivery.topic, partition: delivery.partition, messages },
        acknowledge: (message, type) => {
          const offset = offsetOf.get(message);
          if (offset === undefined)
            throw new KafkaJSInvalidArgument('message', 'not a message of this batch');
          this.core.acknowledgeRecord(delivery, offset, type);
        },
        isRunning: () => !this.core.stopping,
      });
    } catch (error) {
      failed = true;
      this.logger.warn('eachBatch threw; releasing the unacknowledged records for redelivery', {
        topic: delivery.topic,
        partition: delivery.partition,
        error: (error as Error).message,
      });
    }
    this.core.settle(delivery, offsets, failed);
  }

  /**
   * `for await (const { message, acknowledge } of consumer)`. In implicit mode a record is accepted
   * when the loop asks for the next one; leaving the loop (break, return or throw) releases the
   * current record unless it was acknowledged, and the records fetched with it.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ShareEachMessagePayload, void, undefined> {
    this.claim('iterator');
    this.core.start();
    let delivery: ShareDelivery | undefined;
    let offsets: number[] = [];
    let index = 0;
    try {
      for (;;) {
        delivery = await this.core.nextDelivery();
        if (!delivery) return;
        const live = this.core.live(delivery);
        offsets = live.offsets;
        for (index = 0; index < live.messages.length; index++) {
          const offset = offsets[index]!;
          if (!delivery.acks.isHeld(offset)) continue;
          const d = delivery;
          yield {
            topic: d.topic,
            partition: d.partition,
            message: live.messages[index]!,
            acknowledge: (type) => this.core.acknowledgeRecord(d, offset, type),
          };
          this.core.settle(d, [offset], false);
        }
        const done = delivery;
        delivery = undefined;
        done.loop.delivered();
      }
    } finally {
      if (delivery) {
        // left the loop mid-delivery: what was not acknowledged goes back to the group
        if (this.mode === 'implicit' || this.core.stopping)
          this.core.settle(delivery, offsets.slice(index), true);
        else this.core.settle(delivery, offsets.slice(index + 1), true);
        delivery.loop.delivered();
      }
      this.core.consuming = undefined;
    }
  }

  // ---- shutting down --------------------------------------------------------------------------------

  /**
   * Stops consuming, releases queued records, closes every share session (sending the pending
   * acknowledgements) and leaves the group.
   */
  async disconnect(): Promise<void> {
    await this.core.stop();
  }
}

/** Builds a share consumer; `Kafka.shareConsumer()` calls this. */
export function createShareConsumer(
  context: CreateShareConsumerContext,
  options: ShareConsumerOptions,
): ShareConsumer {
  return new ShareConsumer(context, options);
}
