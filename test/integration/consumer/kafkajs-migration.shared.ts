/**
 * A rolling migration from KafkaJS: a group of two real KafkaJS 2.2.4 members, with the same
 * groupId and no special settings, is replaced one member at a time by kafkats consumers with
 * default options (on Kafka 4.x that is KIP-848 next to KafkaJS's classic members; on 3.9 the
 * classic protocol, agreeing with KafkaJS on its `RoundRobinAssigner`), while records keep
 * coming. Nothing is lost, and a record is delivered twice only when its offset had not been
 * committed when the second delivery happened (checked against every member's COMMIT_OFFSETS).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import kafkajs from 'kafkajs';
import type { Consumer } from '../../../src/consumer/index.js';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const PARTITIONS = 4;

interface CommitPayload {
  topics: Array<{ topic: string; partitions: Array<{ partition: number | string; offset: string }> }>;
}

/** Deliveries by `partition:offset`, and the highest committed offset per partition so far. */
class Ledger {
  readonly deliveries = new Map<string, number>();
  readonly committed = new Map<number, number>();
  readonly byMember = new Map<string, number>();
  duplicates = 0;
  readonly violations: string[] = [];

  deliver(member: string, partition: number, offset: string): void {
    const key = `${partition}:${offset}`;
    const n = this.deliveries.get(key) ?? 0;
    if (n > 0) {
      this.duplicates++;
      // A second delivery of a record whose offset was already committed: that would be a bug.
      if ((this.committed.get(partition) ?? -1) > Number(offset)) {
        this.violations.push(`${member} got ${key} again after commit ${this.committed.get(partition)}`);
      }
    }
    this.deliveries.set(key, n + 1);
    this.byMember.set(member, (this.byMember.get(member) ?? 0) + 1);
  }

  commit(payload: CommitPayload, topic: string): void {
    for (const t of payload.topics) {
      if (t.topic !== topic) continue;
      for (const p of t.partitions) {
        const partition = Number(p.partition);
        this.committed.set(partition, Math.max(this.committed.get(partition) ?? -1, Number(p.offset)));
      }
    }
  }
}

/**
 * `kafkatsProtocol`: the group protocol the kafkats members are expected to end up with —
 * `consumer` (KIP-848) on Kafka 4.x, KafkaJS's `RoundRobinAssigner` (classic) on 3.9.
 */
export function kafkajsMigrationTests(kafkatsProtocol: 'consumer' | 'RoundRobinAssigner'): void {
  describe('rolling migration of a group from KafkaJS 2.2.4 to kafkats', () => {
    it('KafkaJS members replaced one by one by kafkats members: 0 lost, duplicates only from uncommitted offsets', async () => {
      const topic = uniqueTopicName('consumer-kafkajs-migration');
      await createTopic(topic, PARTITIONS);
      const groupId = `g-${topic}`;
      const ledger = new Ledger();
      const kafkatsJoins: string[] = [];
      const kjs = new kafkajs.Kafka({
        clientId: 'kafkajs-member',
        brokers: brokers(),
        logLevel: kafkajs.logLevel.NOTHING,
      });
      const kts = new Kafka({ clientId: 'kafkats-member', brokers: brokers(), logLevel: logLevel.NOTHING });
      const memberOptions = { groupId, heartbeatInterval: 500, sessionTimeout: 10_000, maxWaitTimeInMs: 200 };

      const startKafkaJS = async (name: string) => {
        const c = kjs.consumer(memberOptions);
        c.on(c.events.COMMIT_OFFSETS, (e) => ledger.commit(e.payload as CommitPayload, topic));
        await c.connect();
        await c.subscribe({ topics: [topic], fromBeginning: true });
        await c.run({
          eachMessage: async ({ partition, message }) => ledger.deliver(name, partition, message.offset),
        });
        return c;
      };
      const startKafkats = async (name: string): Promise<Consumer> => {
        const c = kts.consumer(memberOptions);
        c.on(c.events.GROUP_JOIN, (e) => kafkatsJoins.push(String(e.payload.groupProtocol)));
        c.on(c.events.COMMIT_OFFSETS, (e) => ledger.commit(e.payload as unknown as CommitPayload, topic));
        await c.connect();
        await c.subscribe({ topics: [topic], fromBeginning: true });
        await c.run({
          eachMessage: async ({ partition, message }) => ledger.deliver(name, partition, message.offset),
        });
        return c;
      };

      const producer = kts.producer();
      await producer.connect();
      let produced = 0;
      let producing = true;
      const stream = (async () => {
        while (producing) {
          await producer.send({
            topic,
            // Spread over every partition, so that every member has records to read.
            messages: Array.from({ length: 8 }, (_, i) => ({
              value: `r${produced + i}`,
              partition: (produced + i) % PARTITIONS,
            })),
          });
          produced += 8;
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      const consumedBy = (name: string) => ledger.byMember.get(name) ?? 0;

      // Whatever fails, every member and the producer stop (a running one would keep the test file alive).
      const running: Array<{ disconnect(): Promise<void> }> = [producer];
      try {
        const a = await startKafkaJS('kafkajs-a');
        running.push(a);
        const b = await startKafkaJS('kafkajs-b');
        running.push(b);
        await waitFor(
          () => consumedBy('kafkajs-a') > 50 && consumedBy('kafkajs-b') > 50,
          90_000,
          'both KafkaJS members consuming',
        );

        // Roll: a new kafkats member joins, then a KafkaJS member leaves; twice.
        const c = await startKafkats('kafkats-c');
        running.push(c);
        await waitFor(
          () => consumedBy('kafkats-c') > 50,
          90_000,
          'kafkats-c consuming next to KafkaJS members',
        );
        await a.disconnect();
        const d = await startKafkats('kafkats-d');
        running.push(d);
        await waitFor(() => consumedBy('kafkats-d') > 50, 90_000, 'kafkats-d consuming');
        await b.disconnect();
        const afterRoll = consumedBy('kafkats-c') + consumedBy('kafkats-d');
        await waitFor(
          () => consumedBy('kafkats-c') + consumedBy('kafkats-d') > afterRoll + 100,
          60_000,
          'the kafkats-only group consuming',
        );
        producing = false;
        await stream;
        await waitFor(() => ledger.deliveries.size >= produced, 90_000, `all ${produced} records`);
        await new Promise((r) => setTimeout(r, 1_000));
      } finally {
        producing = false;
        await stream.catch(() => {});
        for (const member of running.reverse()) await member.disconnect().catch(() => {});
      }

      console.log(
        `[figures] kafkajs-migration: produced ${produced}, distinct delivered ${ledger.deliveries.size}, ` +
          `duplicates ${ledger.duplicates}, by member ${JSON.stringify(Object.fromEntries(ledger.byMember))}, ` +
          `kafkats group protocols ${[...new Set(kafkatsJoins)].join(',')}`,
      );
      // Next to KafkaJS members: KIP-848 (4.x) or KafkaJS's round-robin name (3.9); once they are
      // gone a classic kafkats-only group may move on to `roundrobin`, its first choice.
      assert.equal(kafkatsJoins[0], kafkatsProtocol, 'the first kafkats join, next to KafkaJS members');
      const allowed = kafkatsProtocol === 'consumer' ? ['consumer'] : ['RoundRobinAssigner', 'roundrobin'];
      assert.deepEqual(
        kafkatsJoins.filter((p) => !allowed.includes(p)),
        [],
        'the group protocols of the kafkats members',
      );
      assert.equal(ledger.deliveries.size, produced, 'no record lost');
      assert.deepEqual(ledger.violations, [], 'no committed record delivered again');
      for (const member of ['kafkajs-a', 'kafkajs-b', 'kafkats-c', 'kafkats-d']) {
        assert.ok(consumedBy(member) > 0, `${member} took part`);
      }
    });
  });
}
