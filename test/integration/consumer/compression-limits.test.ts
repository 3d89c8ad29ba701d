/**
 * Compressed batches a consumer cannot read, served by a real broker: one that decompresses
 * beyond `maxDecompressedBatchBytes` (written by kafkats' own producer), and, edited in the
 * broker's log segment as disk corruption would leave them, a corrupt zstd stream and an unknown
 * codec id. Each fails with a typed, non-retriable KafkaJSRecordBatchDecodeError naming topic,
 * partition and offset; the records before it are delivered, the group's position stays at the
 * batch (a consumer started afterwards resumes exactly there) and the process stays up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompressionTypes,
  Kafka,
  KafkaJSDecompressionLimitError,
  KafkaJSRecordBatchDecodeError,
  logLevel,
} from '../../../src/index.js';
import { BATCH_OFFSETS } from '../../../src/protocol/records/types.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { corruptBatch, segmentsUnavailable } from './compression-segments.js';
import { brokers, createTopic, waitFor } from './helpers.js';

function kafka(): Kafka {
  return new Kafka({ clientId: 'compression-limits', brokers: brokers(), logLevel: logLevel.NOTHING });
}

async function produce(
  topic: string,
  batches: Array<{ values: Buffer[]; compression: number }>,
): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    for (const b of batches) {
      await producer.send({
        topic,
        compression: b.compression,
        messages: b.values.map((value) => ({ partition: 0, value })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

interface Outcome {
  offsets: number[];
  error: unknown;
}

/** Consumes `topic` in group `groupId` until the consumer crashes (or `until` offsets arrived). */
async function consumeUntilCrash(
  topic: string,
  groupId: string,
  options: { maxDecompressedBatchBytes?: number; until?: number } = {},
): Promise<Outcome> {
  const consumer = kafka().consumer({
    groupId,
    groupProtocol: 'classic',
    maxWaitTimeInMs: 200,
    maxDecompressedBatchBytes: options.maxDecompressedBatchBytes,
  });
  const outcome: Outcome = { offsets: [], error: undefined };
  let crashed = false;
  consumer.on('consumer.crash', (e) => {
    outcome.error = (e.payload as { error: unknown }).error;
    crashed = true;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      outcome.offsets.push(Number(message.offset));
    },
  });
  try {
    await waitFor(
      () => crashed || (options.until !== undefined && outcome.offsets.length >= options.until),
      60_000,
      'the crash or the records',
    );
  } finally {
    await consumer.disconnect();
  }
  return outcome;
}

function assertBatchError(error: unknown, topic: string, offset: number): KafkaJSRecordBatchDecodeError {
  assert.ok(error instanceof KafkaJSRecordBatchDecodeError, `crashed with ${String(error)}`);
  assert.equal(error.topic, topic);
  assert.equal(error.partition, 0);
  assert.equal(error.offset, offset);
  assert.equal(error.retriable, false);
  assert.match(error.message, new RegExp(`${topic}\\[0\\] at offset ${offset}`));
  return error;
}

const small = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`record ${i}`));
const needsSegments = segmentsUnavailable === undefined ? {} : { skip: segmentsUnavailable };

describe('compressed batches the consumer cannot read', () => {
  // gzip and snappy (xerial) are read in pieces too: each stops at the cap like zstd
  for (const [name, codec] of [
    ['zstd', CompressionTypes.ZSTD],
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
  ] as const) {
    it(`${name}: a batch beyond maxDecompressedBatchBytes: typed error at its offset, position kept`, async () => {
      const topic = uniqueTopicName(`compression-limit-${name}`);
      await createTopic(topic, 1);
      // Offsets 0-2 small; 3-6 four 1 MB records of one character (a few KB compressed); 7-8 small.
      await produce(topic, [
        { values: small(3), compression: codec },
        {
          values: Array.from({ length: 4 }, () => Buffer.alloc(1_000_000, 'b')),
          compression: codec,
        },
        { values: small(2), compression: CompressionTypes.None },
      ]);
      const groupId = `g-${topic}`;
      const first = await consumeUntilCrash(topic, groupId, { maxDecompressedBatchBytes: 512 * 1024 });
      assert.deepEqual(first.offsets, [0, 1, 2]);
      const error = assertBatchError(first.error, topic, 3);
      assert.ok(error.cause instanceof KafkaJSDecompressionLimitError, `caused by ${String(error.cause)}`);
      assert.equal(error.cause.limit, 512 * 1024);

      // The group resumes at the batch: with the default limit every record from 3 on arrives.
      const second = await consumeUntilCrash(topic, groupId, { until: 6 });
      assert.equal(second.error, undefined);
      assert.deepEqual(second.offsets, [3, 4, 5, 6, 7, 8]);
    });
  }

  it(
    'a corrupt zstd stream in the log: typed error, records before it delivered, position kept',
    needsSegments,
    async () => {
      const topic = uniqueTopicName('compression-corrupt');
      await createTopic(topic, 1);
      await produce(topic, [
        { values: small(2), compression: CompressionTypes.None },
        {
          values: small(20).map((v) => Buffer.concat([v, Buffer.alloc(5000, 'c')])),
          compression: CompressionTypes.ZSTD,
        },
        { values: small(1), compression: CompressionTypes.None },
      ]);
      corruptBatch(topic, 2, (batch) => {
        // Overwrite the middle and the end of the compressed records with garbage.
        const section = batch.subarray(61);
        section.fill(0xa5, Math.floor(section.length / 3));
      });
      const groupId = `g-${topic}`;
      const first = await consumeUntilCrash(topic, groupId);
      assert.deepEqual(first.offsets, [0, 1]);
      const error = assertBatchError(first.error, topic, 2);
      assert.equal(error.nextOffset, 22);
      // The position stays at the corrupt batch: a consumer started afterwards fails there again.
      const second = await consumeUntilCrash(topic, groupId);
      assert.deepEqual(second.offsets, []);
      assertBatchError(second.error, topic, 2);
    },
  );

  it(
    'an unknown codec id (attributes 6) in the log: typed error naming the codec',
    needsSegments,
    async () => {
      const topic = uniqueTopicName('compression-codec-id');
      await createTopic(topic, 1);
      await produce(topic, [
        { values: small(1), compression: CompressionTypes.None },
        { values: small(3), compression: CompressionTypes.GZIP },
      ]);
      corruptBatch(topic, 1, (batch) => {
        batch.writeInt16BE(
          (batch.readInt16BE(BATCH_OFFSETS.attributes) & ~0x07) | 6,
          BATCH_OFFSETS.attributes,
        );
      });
      const outcome = await consumeUntilCrash(topic, `g-${topic}`);
      assert.deepEqual(outcome.offsets, [0]);
      const error = assertBatchError(outcome.error, topic, 1);
      assert.match(error.message, /unknown compression codec 6/);
    },
  );
});
