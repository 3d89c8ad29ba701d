/**
 * kafkats, imported from the repository's src/ through tsx (the same code `npm run build` ships).
 * Producer: batchSize 256 KiB and linger 5 ms (its defaults, which `fair` gives every client),
 * idempotent, acks -1; arrays of 1,000 records per send() with 64 sends outstanding, the
 * accumulator does the batching. Consumer: its defaults (CRC-32C always checked).
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
import { FAIR_BATCH_BYTES, FAIR_LINGER_MS } from '../lib/settings.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

type KafkaCtor = typeof import('../../src/kafka.js').Kafka;
let mod: {
  Kafka: KafkaCtor;
  logLevel: typeof import('../../src/logger.js').logLevel;
  codecs: Record<string, number>;
};

export async function preload(): Promise<void> {
  const [{ Kafka }, { logLevel }, { CompressionTypes }] = await Promise.all([
    import('../../src/kafka.js'),
    import('../../src/logger.js'),
    import('../../src/protocol/compression/types.js'),
  ]);
  mod = {
    Kafka,
    logLevel,
    codecs: { none: CompressionTypes.None, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD },
  };
}

function flavour(spec: RunSpec): KjsFlavour {
  const clientId = `bench-kafkats-${process.pid}`;
  const kafka = new mod.Kafka({ clientId, brokers: spec.brokers, logLevel: mod.logLevel.ERROR });
  const fair =
    spec.profile === 'fair'
      ? { batchSize: FAIR_BATCH_BYTES, lingerMs: FAIR_LINGER_MS, idempotent: true }
      : {};
  return {
    producer: () => kafka.producer({ ...fair, ...spec.clientOptions?.producer }) as unknown as KjsProducer,
    consumer: (groupId) =>
      kafka.consumer({ ...spec.clientOptions?.consumer, groupId }) as unknown as KjsConsumer,
    compression: (codec) => mod.codecs[codec] ?? 0,
    chunk: 1000,
    window: 64,
  };
}

export function produce(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
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
