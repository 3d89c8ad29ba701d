import { InstrumentationEmitter, type NetworkEvents } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import type { TelemetryHook } from '../telemetry/reporter.js';
import { ClusterTransport } from './cluster-transport.js';
import type { RawMessageData } from './message.js';
import type { ProducerOptions } from './options.js';
import { Producer } from './producer.js';
import type { ProducerEventMap } from './types.js';

export { DeliveryReport, type RecordMetadata } from './delivery.js';
export {
  KafkaJSBufferExhaustedError,
  KafkaJSDeliveryTimeoutError,
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSSendAbortedError,
  KafkaJSTransactionStateError,
} from './errors.js';
export type { HeaderValue, IHeaders, Message, RawMessageData } from './message.js';
export type { Acks, ProducerOptions, RetryOptions } from './options.js';
export * from './partitioners/index.js';
export { Producer } from './producer.js';
export {
  type Offsets,
  type ProducerBatchRecord,
  type ProducerEventMap,
  type ProducerEventName,
  ProducerEvents,
  type ProducerRecord,
  type SendOffsetsArgs,
  type TopicMessages,
  type TopicOffsets,
  type Transaction,
} from './types.js';

export interface CreateProducerContext {
  /**
   * The producer's own Cluster: create it with `allowAutoTopicCreation` from the producer
   * options (default true, as KafkaJS).
   */
  cluster: Cluster;
  logger: Logger;
  /**
   * The emitter the cluster's connections publish `network.*` events on; the producer re-emits
   * them as `producer.network.*`. (Shared by every client of a Kafka instance today, so a
   * producer's listener also sees other clients' requests; filter on `apiName` if needed.)
   */
  instrumentation?: InstrumentationEmitter<NetworkEvents>;
  /** The KIP-714 metrics push (kafka.ts builds it when `enableMetricsPush` is on). */
  telemetry?: TelemetryHook;
}

const FORWARDED = ['network.request', 'network.request_timeout', 'network.request_queue_size'] as const;

/** Builds a producer on a cluster; `Kafka.producer()` calls this. */
export function createProducer<K = RawMessageData, V = RawMessageData>(
  context: CreateProducerContext,
  options: ProducerOptions<K, V> = {},
): Producer<K, V> {
  const events = new InstrumentationEmitter<ProducerEventMap>('producer.');
  const source = context.instrumentation;
  if (source) {
    for (const type of FORWARDED) {
      source.on(type, (event) => {
        if (events.hasListeners(type)) events.emit(type, event.payload as never);
      });
    }
  }
  return new Producer<K, V>(
    {
      transport: new ClusterTransport(context.cluster),
      logger: context.logger,
      instrumentation: events,
      telemetry: context.telemetry,
    },
    options,
  );
}
