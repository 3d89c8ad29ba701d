/**
 * Isolation levels against transactions written by kafkats's transactional producer: the default
 * consumer (read_committed) sees the committed transaction only; `readUncommitted: true` sees the
 * aborted one too. Neither ever sees the control records (commit/abort markers).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

export function readCommittedTests(): void {
  describe('isolation level', () => {
    it('read_committed skips an aborted transaction; readUncommitted sees it', async () => {
      const kafka = new Kafka({ clientId: 'isolation', brokers: brokers(), logLevel: logLevel.NOTHING });
      const topic = uniqueTopicName('consumer-read-committed');
      await createTopic(topic, 2);
      const producer = kafka.producer({ transactionalId: `tx-${topic}` });
      await producer.connect();
      const batch = (tag: string) =>
        Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}` }));

      const committed = await producer.transaction();
      await committed.send({ topic, messages: batch('committed') });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: batch('aborted') });
      await aborted.abort();
      const after = await producer.transaction();
      await after.send({ topic, messages: batch('after') });
      await after.commit();
      await producer.disconnect();

      const read = async (readUncommitted: boolean | undefined, expected: number) => {
        const c = kafka.consumer({ groupId: `g-${topic}-${String(readUncommitted)}`, readUncommitted });
        const values: string[] = [];
        await c.connect();
        await c.subscribe({ topics: [topic], fromBeginning: true });
        await c.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
        await waitFor(() => values.length >= expected, 30_000, `${expected} records`);
        await new Promise((r) => setTimeout(r, 1000)); // nothing more arrives
        await c.disconnect();
        return values.sort();
      };
      const all = (tag: string) => batch(tag).map((m) => m.value);

      const committedOnly = await read(undefined, 20);
      assert.deepEqual(committedOnly, [...all('after'), ...all('committed')].sort());
      const everything = await read(true, 30);
      assert.deepEqual(everything, [...all('aborted'), ...all('after'), ...all('committed')].sort());
    });
  });
}
