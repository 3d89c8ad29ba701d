/**
 * The share consumer and a compressed batch it cannot read (a corrupt zstd stream edited into the
 * broker's log): the records around it are delivered, the batch's records are released (the
 * broker archives them after its delivery-count limit), and the consumer keeps consuming.
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
} from '../share/helpers.js';
import { corruptBatch, segmentsUnavailable } from './compression-segments.js';

describe('share consumer: an unreadable compressed batch', () => {
  it(
    'delivers the records around it and keeps consuming',
    segmentsUnavailable === undefined ? {} : { skip: segmentsUnavailable },
    async () => {
      const k = kafka();
      const admin = await adminCluster(k);
      const topic = uniqueTopicName('compression-share');
      const groupId = `${topic}-group`;
      try {
        await createTopic(admin, topic);
        await prepareGroup(admin, groupId);
        const producer = k.producer();
        await producer.connect();
        const send = (values: string[], compression: number) =>
          producer.send({ topic, compression, messages: values.map((value) => ({ partition: 0, value })) });
        await send(['a0', 'a1'], CompressionTypes.None);
        await send(
          Array.from({ length: 3 }, (_, i) => `bad${i}`.padEnd(4000, 'z')),
          CompressionTypes.ZSTD,
        );
        await send(['c5', 'c6'], CompressionTypes.None);
        corruptBatch(topic, 2, (batch) => {
          const section = batch.subarray(61);
          section.fill(0xa5, Math.floor(section.length / 3));
        });

        const consumer = newShareConsumer(k, { groupId });
        const seen: number[] = [];
        await consumer.connect();
        await consumer.subscribe({ topics: [topic] });
        await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.offset)) });
        try {
          await waitFor(
            () => seen.includes(5) && seen.includes(6),
            30_000,
            'the records after the bad batch',
          );
          await send(['d7'], CompressionTypes.None);
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
    },
  );
});
