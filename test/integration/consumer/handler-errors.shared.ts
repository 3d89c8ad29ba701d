import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, newConsumer, produceWithKcat, waitFor } from './helpers.js';

/** Registers the tests; shared by the Kafka 4.x (`.test.ts`) and 3.9 (`.compat.test.ts`) runs. */
export function handlerErrorsTests(): void {
  describe('handler failures and group description', () => {
    it('redelivers the record a handler failed on, then carries on', async () => {
      const topic = uniqueTopicName('consumer-handler-error');
      await createTopic(topic, 1);
      await produceWithKcat(
        topic,
        0,
        Array.from({ length: 6 }, (_, i) => `k:v${i}`),
      );
      const c = newConsumer({
        groupId: `g-${topic}`,
        groupProtocol: 'classic',
        heartbeatInterval: 300,
        maxWaitTimeInMs: 200,
        retry: { initialRetryTime: 50, retries: 3 },
      });
      const crashes: unknown[] = [];
      c.on('consumer.crash', (e) => crashes.push(e.payload));
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      const attempts: string[] = [];
      let failed = false;
      await c.run({
        eachMessage: async ({ message }) => {
          attempts.push(message.offset);
          if (message.offset === '3' && !failed) {
            failed = true;
            throw new Error('handler failed once');
          }
        },
      });
      await waitFor(() => attempts.includes('5'), 20_000, 'the last record');
      assert.deepEqual(attempts, ['0', '1', '2', '3', '3', '4', '5']);
      assert.deepEqual(crashes, []);

      const description = await c.describeGroup();
      assert.equal(description.state, 'Stable');
      assert.equal(description.protocolType, 'consumer');
      assert.equal(description.protocol, 'roundrobin');
      assert.equal(description.members.length, 1);
      await c.disconnect();
    });

    it('crashes with consumer.crash after the retries are spent when restartOnFailure says no', async () => {
      const topic = uniqueTopicName('consumer-handler-crash');
      await createTopic(topic, 1);
      await produceWithKcat(topic, 0, ['k:poison']);
      const c = newConsumer({
        groupId: `g-${topic}`,
        groupProtocol: 'classic',
        heartbeatInterval: 300,
        maxWaitTimeInMs: 200,
        retry: { initialRetryTime: 20, retries: 2 },
      });
      const crashes: Array<Record<string, unknown>> = [];
      let stopped = false;
      c.on('consumer.crash', (e) => crashes.push(e.payload));
      c.on('consumer.stop', () => {
        stopped = true;
      });
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      let attempts = 0;
      await c.run({
        eachMessage: async () => {
          attempts++;
          throw new Error('poison');
        },
        restartOnFailure: async () => false,
      });
      // KafkaJS's order: the consumer stops (STOP) and disconnects, then CRASH is emitted.
      await waitFor(() => stopped && crashes.length > 0, 20_000, 'the consumer to stop and report the crash');
      assert.equal(attempts, 3, 'first attempt plus two retries');
      assert.equal(crashes.length, 1);
      assert.equal((crashes[0]!.error as Error).message, 'poison');
      assert.equal(crashes[0]!.restart, false);
      await c.disconnect();
    });
  });
}
