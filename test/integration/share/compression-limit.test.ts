/**
 * The share consumer and batches beyond its maxDecompressedBatchBytes (1 MB records of one
 * character, a few KB compressed): the records around them are delivered, the oversized batch's
 * records are released (the broker archives them after its delivery-count limit), and the
 * consumer keeps consuming.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionTypes } from '../../../src/index.js';
import {
  adminCluster,
  createTopic,
  kafka,
  newShareConsumer,
  prepareGroup,
  uniqueTopicName,
  waitFor,
} from './helpers.js';

describe('share consumer: a batch beyond maxDecompressedBatchBytes', () => {
  for (const [name, codec] of [
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['zstd', CompressionTypes.ZSTD],
  ] as const) {
    it(`${name}: delivers the records around it and keeps consuming`, async () => {
      const k = kafka();
      const admin = await adminCluster(k);
      const topic = uniqueTopicName(`share-limit-${name}`);
      const groupId = `${topic}-group`;
      try {
        await createTopic(admin, topic);
        await prepareGroup(admin, groupId);
        const producer = k.producer();
        await producer.connect();
        const send = (values: Buffer[], compression: number) =>
          producer.send({ topic, compression, messages: values.map((value) => ({ partition: 0, value })) });
        await send([Buffer.from('a0'), Buffer.from('a1')], codec);
        await send(
          Array.from({ length: 3 }, () => Buffer.alloc(1_000_000, 'b')),
          codec,
        );
        await send([Buffer.from('c5'), Buffer.from('c6')], CompressionTypes.None);

        const consumer = newShareConsumer(k, { groupId, maxDecompressedBatchBytes: 512 * 1024 });
        const seen: number[] = [];
        await consumer.connect();
        await consumer.subscribe({ topics: [topic] });
        await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.offset)) });
        try {
          await waitFor(() => seen.includes(5) && seen.includes(6), 30_000, 'the records after the batch');
          await send([Buffer.from('d7')], CompressionTypes.None);
          await waitFor(() => seen.includes(7), 30_000, 'a record produced afterwards');
        } finally {
          await consumer.disconnect();
          await producer.disconnect();
        }
        assert.deepEqual(
          [...new Set(seen)].sort((a, b) => a - b),
          [0, 1, 5, 6, 7],
        );
      } finally {
        await admin.disconnect();
      }
    });
  }

  it('rejects a maxDecompressedBatchBytes that is not a positive integer', () => {
    assert.throws(
      () => newShareConsumer(kafka(), { groupId: 'g', maxDecompressedBatchBytes: -1 }),
      /maxDecompressedBatchBytes/,
    );
  });
});
