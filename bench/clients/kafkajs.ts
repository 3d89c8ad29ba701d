/**
 * KafkaJS 2.2.4 with its documented batching: send() (sendBatch's single-topic form) of 1,000
 * records per call, 8 calls outstanding, acks -1, idempotent (KafkaJS's "experimental"
 * idempotence takes a per-broker lock around each Produce request, so concurrent sends are
 * safe but one request per broker is in flight at a time).
 * LZ4 and ZSTD are not built in (they need the third-party kafkajs-lz4 / @kafkajs/zstd codecs).
 */
import {
  type KjsConsumer,
  type KjsFlavour,
  type KjsProducer,
  kjsConsume,
  kjsConsumeGroup,
  kjsLatency,
  kjsProduce,
} from '../lib/kafkajs-shape.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

interface KafkaJSModule {
  Kafka: new (config: {
    clientId: string;
    brokers: string[];
    logLevel?: number;
  }) => {
    producer(options?: Record<string, unknown>): KjsProducer;
    consumer(options: { groupId: string }): KjsConsumer;
  };
  CompressionTypes: Record<string, number>;
  logLevel: Record<string, number>;
}

async function flavour(spec: RunSpec): Promise<KjsFlavour> {
  // A variable specifier keeps the repository's type check independent of bench/node_modules.
  const name = 'kafkajs';
  const mod = (await import(name)) as KafkaJSModule & { default?: KafkaJSModule };
  const kjs = mod.default ?? mod;
  const kafka = new kjs.Kafka({
    clientId: `bench-kafkajs-${process.pid}`,
    brokers: spec.brokers,
    logLevel: kjs.logLevel.ERROR,
  });
  return {
    producer: () => kafka.producer({ idempotent: true, allowAutoTopicCreation: false }),
    consumer: (groupId) => kafka.consumer({ groupId }),
    compression: () => kjs.CompressionTypes.None!,
    chunk: 1000,
    window: 8,
  };
}

export async function produce(spec: RunSpec): Promise<RunnerResult> {
  if (spec.scenario.codec !== 'none') {
    throw new Error(`unsupported: KafkaJS has no built-in ${spec.scenario.codec} codec`);
  }
  return kjsProduce(spec, await flavour(spec));
}

export async function latency(spec: RunSpec): Promise<RunnerResult> {
  return kjsLatency(spec, await flavour(spec));
}

export async function consume(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, await flavour(spec), false);
}

export async function consumeBatch(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, await flavour(spec), true);
}

export async function consumeGroup(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsumeGroup(spec, await flavour(spec));
}
