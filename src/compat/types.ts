/**
 * KafkaJS 2.2.4's type names for types kafkats has under its own names, so that a TypeScript
 * program's `import type { ProducerConfig, logCreator, SASLOptions } from 'kafkajs'` compiles
 * after changing the module name. Types only: nothing here exists at run time.
 */
import type { LogCreator } from '../logger.js';
import type { SaslOptions } from '../network/sasl/types.js';
import type { ProducerOptions } from '../producer/options.js';
import type { ICustomPartitioner, PartitionerArgs } from '../producer/partitioners/types.js';

/** KafkaJS's `logCreator` (lower-case, as KafkaJS spells it). */
export type logCreator = LogCreator;

/** KafkaJS's `SASLOptions`. */
export type SASLOptions = SaslOptions;

/** KafkaJS's `SASLMechanism`: the mechanism names `sasl.mechanism` accepts. */
export type SASLMechanism = SaslOptions['mechanism'];

/** KafkaJS's `ProducerConfig` (kafkats' options add linger, idempotence defaults and more). */
export type ProducerConfig = ProducerOptions;

export type { ICustomPartitioner, PartitionerArgs };

/** KafkaJS's metadata argument of `new KafkaJSOffsetOutOfRange(e, metadata)`. */
export interface KafkaJSOffsetOutOfRangeMetadata {
  topic: string;
  partition: number;
}

/** KafkaJS's metadata argument of `new KafkaJSServerDoesNotSupportApiKey(e, metadata)`. */
export interface KafkaJSServerDoesNotSupportApiKeyMetadata {
  apiKey: number;
  apiName: string;
}

/** KafkaJS's metadata argument of `new KafkaJSTopicMetadataNotLoaded(e, metadata)`. */
export interface KafkaJSTopicMetadataNotLoadedMetadata {
  topic: string;
}

/** KafkaJS's metadata argument of `new KafkaJSNumberOfRetriesExceeded(e, metadata)`. */
export interface KafkaJSNumberOfRetriesExceededMetadata {
  retryCount: number;
  retryTime: number;
}
