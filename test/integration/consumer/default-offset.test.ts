/**
 * Where a new group starts when the application says nothing (no `fromBeginning`, no
 * `autoOffsetReset`): at the end of the log, as KafkaJS and the Java client do. Records produced
 * before the group first joins are never delivered; records produced after it are.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Consumer } from '../../../src/consumer/index.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Producer } from '../../../src/producer/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const kafka = new Kafka({
  clientId: 'kafkats-default-offset-test',
  brokers: brokers(),
  logLevel: logLevel.NOTHING,
});
const open: Array<Consumer | Producer> = [];
after(async () => {
  await Promise.all(open.map((c) => c.disconnect().catch(() => {})));
});

describe('a new group with default options', () => {
  for (const groupProtocol of [undefined, 'classic'] as const) {
    it(`starts at the latest offset (groupProtocol ${groupProtocol ?? 'default'})`, async () => {
      const topic = uniqueTopicName('default-offset');
      await createTopic(topic, 2);
      const producer = kafka.producer();
      open.push(producer);
      await producer.connect();
      const send = (values: string[]) =>
        producer.send({ topic, messages: values.map((value, i) => ({ value, partition: i % 2 })) });
      const before = ['before-0', 'before-1', 'before-2', 'before-3'];
      await send(before);

      const consumer = kafka.consumer({
        groupId: `${topic}-group`,
        maxWaitTimeInMs: 300,
        ...(groupProtocol ? { groupProtocol } : {}),
      });
      open.push(consumer);
      let joined = false;
      consumer.on(consumer.events.GROUP_JOIN, () => {
        joined = true;
      });
      const got: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
      await waitFor(() => joined, 60_000, 'the group to join');

      // "Latest" is resolved when the consumer first fetches, a moment after the join: records
      // sent in between may rightly be skipped too. Send one probe at a time until one arrives,
      // then a final batch that must arrive whole.
      const probes: string[] = [];
      const deadline = Date.now() + 60_000;
      while (got.length === 0) {
        assert.ok(
          Date.now() < deadline,
          `no record delivered within 60 s of the join (sent ${probes.length} probes)`,
        );
        const probe = `probe-${probes.length}`;
        probes.push(probe);
        await send([probe]);
        await new Promise((r) => setTimeout(r, 500));
      }
      const last = ['after-0', 'after-1', 'after-2', 'after-3'];
      await send(last);
      await waitFor(() => last.every((v) => got.includes(v)), 30_000, 'the records sent after the join');
      await new Promise((r) => setTimeout(r, 1000));
      await consumer.disconnect();

      assert.deepEqual(
        got.filter((v) => v.startsWith('before-')),
        [],
        'records produced before the group existed are not delivered',
      );
      const deliveredProbes = got.filter((v) => v.startsWith('probe-'));
      assert.ok(deliveredProbes.length > 0);
      // The probes that arrive are the last ones sent: once the position is set, none is skipped.
      assert.deepEqual(deliveredProbes, probes.slice(probes.length - deliveredProbes.length));
      assert.deepEqual(
        got.filter((v) => v.startsWith('after-')).sort(),
        last,
        'every record produced after the join is delivered once',
      );
    });
  }
});
