/**
 * Records of very high compression ratio reach the handler in pieces bounded by `maxBytes` of
 * decompressed data (one record at least), not a whole fetch at a time: 24 records of 1 MB of one
 * character (a few KB in the log with zstd) are consumed with `maxBytes` of 3 MB, and no batch
 * handed to `eachBatch` holds more than 3 MB plus one record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes, Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const RECORD = 1_000_000;
const COUNT = 24;
const BUDGET = 3_000_000;

describe('decompressed bytes per delivery', () => {
  it('hands 1 MB zstd records to eachBatch in pieces of at most maxBytes plus one record', async () => {
    const kafka = new Kafka({
      clientId: 'compression-budget',
      brokers: brokers(),
      logLevel: logLevel.NOTHING,
    });
    const topic = uniqueTopicName('compression-budget');
    await createTopic(topic, 1);
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < COUNT; i += 8) {
      await producer.send({
        topic,
        compression: CompressionTypes.ZSTD,
        messages: Array.from({ length: 8 }, (_, j) => ({
          partition: 0,
          value: Buffer.alloc(RECORD, 97 + ((i + j) % 26)),
        })),
      });
    }
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `g-${topic}`, maxBytes: BUDGET, maxWaitTimeInMs: 200 });
    const sizes: number[] = [];
    const offsets: number[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        let bytes = 0;
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          assert.equal(m.value!.length, RECORD);
          assert.equal(m.value![0], 97 + (offset % 26));
          bytes += m.value!.length;
          offsets.push(offset);
        }
        sizes.push(bytes);
      },
    });
    try {
      await waitFor(() => offsets.length >= COUNT, 60_000, `${COUNT} records`);
    } finally {
      await consumer.disconnect();
    }
    assert.deepEqual(
      offsets,
      Array.from({ length: COUNT }, (_, i) => i),
    );
    const largest = Math.max(...sizes);
    assert.ok(largest <= BUDGET + RECORD, `a batch of ${largest} bytes (sizes ${sizes.join(', ')})`);
    assert.ok(sizes.length >= COUNT / 4, `${sizes.length} deliveries for ${COUNT} records`);
  });
});
