/**
 * Auto-commit after each batch, with the commit travelling while the next batch is handled:
 * the commits a user sees (COMMIT_OFFSETS) never go backwards for a partition, every processed
 * record is committed once the consumer has stopped, and a new member of the group starts where
 * the first one stopped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const PARTITIONS = 3;
const RECORDS = 6000;

describe('auto-commit after every batch', () => {
  it('commits in order while records keep flowing, and everything processed is committed at stop', async () => {
    const kafka = new Kafka({ clientId: 'auto-commit', brokers: brokers(), logLevel: logLevel.NOTHING });
    const topic = uniqueTopicName('consumer-auto-commit');
    const groupId = `g-${topic}`;
    await createTopic(topic, PARTITIONS);
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < RECORDS; i += 500) {
      await producer.send({
        topic,
        messages: Array.from({ length: 500 }, (_, j) => ({
          partition: (i + j) % PARTITIONS,
          value: `v${i + j}`,
        })),
      });
    }
    await producer.disconnect();

    // Small fetches: many batches, so many commits, each sent while the next batch is handled.
    const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4096 });
    const committed = new Map<number, number>();
    const backwards: string[] = [];
    let commits = 0;
    consumer.on(consumer.events.COMMIT_OFFSETS, (e) => {
      commits++;
      const payload = e.payload as {
        topics: Array<{ partitions: Array<{ partition: string; offset: string }> }>;
      };
      for (const t of payload.topics) {
        for (const p of t.partitions) {
          const partition = Number(p.partition);
          const offset = Number(p.offset);
          const before = committed.get(partition) ?? -1;
          if (offset < before) backwards.push(`${partition}: ${before} then ${offset}`);
          committed.set(partition, Math.max(before, offset));
        }
      }
    });
    let processed = 0;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async () => {
        processed++;
      },
    });
    await waitFor(() => processed >= RECORDS, 60_000, 'every record');
    await consumer.disconnect();

    assert.deepEqual(backwards, [], "a partition's committed offset never goes backwards");
    assert.ok(commits > PARTITIONS, `commits followed the batches (${commits} commits)`);
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    const total = offsets!.partitions.reduce((n, p) => n + Number(p.offset), 0);
    assert.equal(total, RECORDS, 'the committed offsets cover every processed record');

    // A new member of the group starts where the first stopped: the next record it gets is one
    // written after the first member left, and nothing before it.
    const marker = kafka.producer();
    await marker.connect();
    await marker.send({ topic, messages: [{ partition: 0, value: 'marker' }] });
    await marker.disconnect();
    const again = kafka.consumer({ groupId });
    const delivered: string[] = [];
    await again.connect();
    await again.subscribe({ topics: [topic], fromBeginning: true });
    await again.run({
      eachMessage: async ({ message }) => {
        delivered.push(String(message.value));
      },
    });
    await waitFor(
      () => delivered.includes('marker'),
      60_000,
      'the record written after the first member left',
    );
    await again.disconnect();
    assert.deepEqual(delivered, ['marker'], 'nothing processed and committed is delivered again');
  });
});
