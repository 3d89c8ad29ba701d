// A partition added after the producer cached the topic's metadata is usable at once: the
// producer refreshes before it calls an explicit partition number out of range.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, kafka } from './helpers.js';

describe('explicit partitions and metadata', () => {
  it('sends to a partition that createPartitions added after the metadata was cached', async () => {
    const k = kafka();
    const topic = uniqueTopicName('new-partition');
    await createTopic(k, topic, 1);
    const producer = k.producer();
    const admin = k.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    try {
      // Caches the one-partition metadata.
      await producer.send({ topic, messages: [{ value: 'p0', partition: 0 }] });
      await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
      const [meta] = await producer.send({ topic, messages: [{ value: 'p2', partition: 2 }] });
      assert.equal(meta!.partition, 2);
      const offsets = await admin.fetchTopicOffsets(topic);
      assert.equal(offsets.find((o) => o.partition === 2)?.high, '1');
      // A partition that really does not exist is still refused, after the refresh.
      await assert.rejects(
        producer.send({ topic, messages: [{ value: 'x', partition: 7 }] }),
        (e: unknown) =>
          e instanceof KafkaJSInvalidArgument && /partition 7 does not exist/.test((e as Error).message),
      );
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
