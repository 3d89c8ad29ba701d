/**
 * kafkats, imported from the repository's src/ through tsx (the same code `npm run build` ships).
 * Producer: the defaults (idempotent, acks -1, linger 5 ms, batchSize 256 KiB), arrays of 1,000
 * records per send() with 64 sends outstanding; the accumulator does the batching.
 */
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { CompressionTypes } from '../../src/protocol/compression/types.js';
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

const CODECS: Record<string, number> = {
  none: CompressionTypes.None,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

type ConsumerFactory = (groupId: string) => KjsConsumer;

/**
 * `kafka.consumer({ groupId })` once src/kafka.ts has it. Until then the consumer module is
 * built directly, as Kafka.consumer() will (the result carries a "pending consumer" note).
 */
async function consumerFactory(
  kafka: Kafka,
  clientId: string,
  extra: Record<string, unknown> = {},
): Promise<{ make: ConsumerFactory; note?: string }> {
  const wired = (kafka as unknown as { consumer?: (o: { groupId: string }) => KjsConsumer }).consumer;
  if (typeof wired === 'function') return { make: (groupId) => wired.call(kafka, { ...extra, groupId }) };
  // A variable specifier, so that the type check does not depend on a module still being written.
  const path = '../../src/consumer/index.js';
  const mod = (await import(path)) as {
    createConsumer: (context: unknown, options: { groupId: string }) => KjsConsumer;
  };
  return {
    make: (groupId) =>
      mod.createConsumer(
        { cluster: kafka.cluster({ allowAutoTopicCreation: false }), logger: kafka.logger(), clientId },
        { ...extra, groupId },
      ),
    note: 'pending consumer: kafka.consumer() not in src/kafka.ts yet, createConsumer() used directly',
  };
}

async function flavour(spec: RunSpec, withConsumer = false): Promise<KjsFlavour> {
  const clientId = `bench-kafkats-${process.pid}`;
  const kafka = new Kafka({ clientId, brokers: spec.brokers, logLevel: logLevel.ERROR });
  const consumers = withConsumer
    ? await consumerFactory(kafka, clientId, spec.clientOptions?.consumer)
    : undefined;
  const f: KjsFlavour = {
    producer: () => kafka.producer({ ...spec.clientOptions?.producer }) as unknown as KjsProducer,
    consumer: (groupId) => {
      if (!consumers) throw new Error('consumer not prepared');
      return consumers.make(groupId);
    },
    compression: (codec) => CODECS[codec] ?? CompressionTypes.None,
    chunk: 1000,
    window: 64,
  };
  if (consumers?.note) f.note = consumers.note;
  return f;
}

export async function produce(spec: RunSpec): Promise<RunnerResult> {
  return kjsProduce(spec, await flavour(spec));
}

export async function latency(spec: RunSpec): Promise<RunnerResult> {
  return kjsLatency(spec, await flavour(spec));
}

export async function consume(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, await flavour(spec, true), false);
}

export async function consumeBatch(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsume(spec, await flavour(spec, true), true);
}

export async function consumeGroup(spec: RunSpec): Promise<RunnerResult> {
  return kjsConsumeGroup(spec, await flavour(spec, true));
}
