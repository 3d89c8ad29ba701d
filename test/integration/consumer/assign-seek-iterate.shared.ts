import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConsumer } from '../../../src/consumer/index.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, newConsumer, produceWithKcat, waitFor } from './helpers.js';

const values = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `k:${prefix}-${i}`);

/** Registers the tests; shared by the Kafka 4.x (`.test.ts`) and 3.9 (`.compat.test.ts`) runs. */
export function assignSeekIterateTests(): void {
  describe('consumer without a group, seek, pause, iteration', () => {
    it('assign() reads chosen partitions from the earliest offset, and seek() moves the position', async () => {
      const topic = uniqueTopicName('consumer-assign');
      await createTopic(topic, 2);
      await produceWithKcat(topic, 0, values(10, 'p0'));
      await produceWithKcat(topic, 1, values(10, 'p1'));
      const c = newConsumer({ autoOffsetReset: 'earliest', maxWaitTimeInMs: 200 });
      c.assign([{ topic, partitions: [1] }]);
      const got: string[] = [];
      // Collected and asserted after the run: an assertion thrown inside eachMessage is a handler
      // error, which the consumer retries instead of failing the test.
      const partitions = new Set<number>();
      let seeked = false;
      await c.run({
        eachMessage: async ({ partition, message }) => {
          partitions.add(partition);
          got.push(message.value!.toString());
          if (!seeked && message.offset === '4') {
            seeked = true;
            c.seek({ topic, partition: 1, offset: '8' });
          }
        },
      });
      await waitFor(() => got.length >= 7, 20_000, 'records');
      await new Promise((r) => setTimeout(r, 300));
      await c.disconnect();
      assert.deepEqual([...partitions], [1], 'only the assigned partition is read');
      assert.deepEqual(got, ['p1-0', 'p1-1', 'p1-2', 'p1-3', 'p1-4', 'p1-8', 'p1-9']);
    });

    it('pause() stops delivery of a partition until resume()', async () => {
      const topic = uniqueTopicName('consumer-pause');
      await createTopic(topic, 1);
      await produceWithKcat(topic, 0, values(6, 'v'));
      const c = newConsumer({ autoOffsetReset: 'earliest', maxWaitTimeInMs: 200 });
      c.assign([{ topic, partitions: [0] }]);
      const got: string[] = [];
      await c.run({
        eachMessage: async ({ message, pause }) => {
          got.push(message.value!.toString());
          if (message.offset === '2') pause();
        },
      });
      await waitFor(() => got.length >= 3, 20_000, 'first records');
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(got, ['v-0', 'v-1', 'v-2'], 'nothing delivered while paused');
      assert.deepEqual(c.paused(), [{ topic, partitions: [0] }]);
      c.resume([{ topic, partitions: [0] }]);
      await waitFor(() => got.length === 6, 20_000, 'the rest after resume');
      assert.deepEqual(got.slice(3), ['v-3', 'v-4', 'v-5']);
      await c.disconnect();
    });

    it('stops when the AbortSignal given to run() is aborted', async () => {
      const topic = uniqueTopicName('consumer-abort');
      await createTopic(topic, 1);
      await produceWithKcat(topic, 0, values(3, 'a'));
      const c = newConsumer({ autoOffsetReset: 'earliest', maxWaitTimeInMs: 200 });
      c.assign([{ topic, partitions: [0] }]);
      const controller = new AbortController();
      let stopped = false;
      c.on('consumer.stop', () => {
        stopped = true;
      });
      let got = 0;
      await c.run({ signal: controller.signal, eachMessage: async () => void got++ });
      await waitFor(() => got === 3, 20_000, 'records');
      controller.abort();
      await waitFor(() => stopped, 10_000, 'consumer.stop');
      await c.disconnect();
    });

    it('for await … of consumer yields records in order and commits when the loop ends', async () => {
      const topic = uniqueTopicName('consumer-iterate');
      await createTopic(topic, 1);
      await produceWithKcat(topic, 0, values(5, 'it'));
      const groupId = `g-${topic}`;
      const c = newConsumer({
        groupId,
        groupProtocol: 'classic',
        heartbeatInterval: 300,
        maxWaitTimeInMs: 200,
      });
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      const got: string[] = [];
      for await (const { message } of c) {
        got.push(message.value!.toString());
        if (got.length === 3) break;
      }
      assert.deepEqual(got, ['it-0', 'it-1', 'it-2']);
      await c.disconnect();
      // The third record was yielded but not "processed" (the loop broke inside it): offset 2 is committed.
      const again = newConsumer({
        groupId,
        groupProtocol: 'classic',
        heartbeatInterval: 300,
        maxWaitTimeInMs: 200,
      });
      await again.connect();
      await again.subscribe({ topics: [topic], fromBeginning: true });
      const rest: string[] = [];
      await again.run({ eachMessage: async ({ message }) => void rest.push(message.value!.toString()) });
      await waitFor(() => rest.length >= 3, 20_000, 'the rest');
      assert.deepEqual(rest, ['it-2', 'it-3', 'it-4']);
      await again.disconnect();
    });

    it('runs over the shared network Cluster of a Kafka instance', async () => {
      const topic = uniqueTopicName('consumer-kafka-cluster');
      await createTopic(topic, 3);
      for (let p = 0; p < 3; p++) await produceWithKcat(topic, p, values(4, `p${p}`));
      const kafka = new Kafka({
        clientId: 'consumer-wiring',
        brokers: brokers(),
        logLevel: logLevel.NOTHING,
      });
      const c = createConsumer(
        { cluster: kafka.cluster({ allowAutoTopicCreation: false }), logger: kafka.logger() },
        { groupId: `g-${topic}`, groupProtocol: 'classic', heartbeatInterval: 300, maxWaitTimeInMs: 200 },
      );
      await c.connect();
      await c.subscribe({ topics: [new RegExp(`^${topic}$`)], fromBeginning: true });
      const got = new Set<string>();
      await c.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) got.add(m.value!.toString());
        },
      });
      await waitFor(() => got.size === 12, 20_000, 'all records');
      await c.disconnect();
    });
  });
}
