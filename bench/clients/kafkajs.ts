/**
 * KafkaJS 2.2.4 with its documented batching: send() of 1,000 records per call, 8 calls
 * outstanding, acks -1; idempotent in the `fair` profile (KafkaJS's "experimental" idempotence
 * takes a per-broker lock around each Produce request, so one request per broker is in flight),
 * off at its own defaults. It has no batch size or linger: each send() is its own batch.
 * LZ4 and ZSTD are not built in (they need third-party codec packages): those runs are n/a.
 */
import type { Dataset } from '../lib/data.js';
import {
  type KjsConsumer,
  type KjsFlavour,
  type KjsProducer,
  kjsConsume,
  kjsConsumeGroup,
  kjsE2e,
  kjsProduce,
} from '../lib/kafkajs-shape.js';
import { recordsPerSend } from '../lib/settings.js';
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

let kjs: KafkaJSModule;

export async function preload(): Promise<void> {
  // A variable specifier keeps the repository's type check independent of bench/node_modules.
  const name = 'kafkajs';
  const mod = (await import(name)) as KafkaJSModule & { default?: KafkaJSModule };
  kjs = mod.default ?? mod;
}

function flavour(spec: RunSpec): KjsFlavour {
  const kafka = new kjs.Kafka({
    clientId: `bench-kafkajs-${process.pid}`,
    brokers: spec.brokers,
    logLevel: kjs.logLevel.ERROR,
  });
  const idempotent = spec.profile === 'fair';
  return {
    producer: () => kafka.producer({ idempotent, allowAutoTopicCreation: false }),
    consumer: (groupId) => kafka.consumer({ groupId }),
    compression: () => kjs.CompressionTypes.None!,
    chunk: recordsPerSend(spec.scenario.size, spec.scenario.partitions),
    window: 8,
  };
}

export function produce(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  if (spec.scenario.codec !== 'none') {
    throw new Error(`unsupported: KafkaJS has no built-in ${spec.scenario.codec} codec`);
  }
  return kjsProduce(spec, data, flavour(spec));
}

export function e2e(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  return kjsE2e(spec, data, flavour(spec));
}

export function consume(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, flavour(spec), false);
}

export function consumeBatch(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, flavour(spec), true);
}

export function consumeGroup(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsumeGroup(spec, flavour(spec));
}
