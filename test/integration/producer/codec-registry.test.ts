// A KafkaJS-style codec registered in CompressionCodecs is what the producer and the consumer use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompressionCodecs, CompressionTypes } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, kafka } from './helpers.js';

describe('CompressionCodecs registration against a real broker', () => {
  it('produces with a registered LZ4 codec wrapper and consumes the records back through it', async () => {
    const builtin = CompressionCodecs[CompressionTypes.LZ4];
    const calls = { factory: 0, compress: 0, decompress: 0 };
    // Counts and delegates to the built-in LZ4, so the broker (which checks the batches) accepts them.
    CompressionCodecs[CompressionTypes.LZ4] = () => {
      calls.factory++;
      const inner = builtin();
      return {
        async compress(encoder: { buffer: Buffer }) {
          calls.compress++;
          return inner.compress(encoder);
        },
        async decompress(buffer: Buffer) {
          calls.decompress++;
          return inner.decompress(buffer);
        },
      };
    };
    const k = kafka();
    const topic = uniqueTopicName('codec-registry');
    const producer = k.producer();
    const consumer = k.consumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    try {
      await createTopic(k, topic, 2);
      await producer.connect();
      const total = 300;
      await producer.send({
        topic,
        compression: CompressionTypes.LZ4,
        messages: Array.from({ length: total }, (_, i) => ({
          key: `k${i}`,
          value: `value ${i} `.repeat(20),
        })),
      });
      assert.ok(calls.compress >= 1, 'the registered codec compressed the batches');
      assert.equal(calls.decompress, 0);

      const seen = new Map<string, string>();
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      let resolveAll: () => void;
      const all = new Promise<void>((r) => {
        resolveAll = r;
      });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.set(message.key!.toString(), message.value!.toString());
          if (seen.size === total) resolveAll();
        },
      });
      await Promise.race([
        all,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${seen.size} records`)), 30_000)),
      ]);
      for (let i = 0; i < total; i++) assert.equal(seen.get(`k${i}`), `value ${i} `.repeat(20));
      assert.ok(calls.decompress >= 1, 'the registered codec decompressed the fetched batches');
      assert.equal(calls.factory, calls.compress + calls.decompress, 'the factory is called on every use');
    } finally {
      CompressionCodecs[CompressionTypes.LZ4] = builtin;
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
