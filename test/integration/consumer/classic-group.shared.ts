import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Consumer, PartitionAssigners } from '../../../src/consumer/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, newConsumer, produceWithKcat, waitFor } from './helpers.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd', 'none'] as const;
const PER_PARTITION = 20;

/** A 6-partition topic; partition p holds PER_PARTITION records written by kcat with CODECS[p]. */
async function seededTopic(prefix: string): Promise<string> {
  const topic = uniqueTopicName(prefix);
  await createTopic(topic, 6);
  for (let p = 0; p < 6; p++) {
    const lines = Array.from({ length: PER_PARTITION }, (_, i) => `key-${p}-${i}:value-${p}-${i}`);
    await produceWithKcat(topic, p, lines, CODECS[p]);
  }
  return topic;
}

const consumers: Consumer[] = [];
after(async () => {
  await Promise.all(consumers.map((c) => c.disconnect().catch(() => {})));
});

function track(c: Consumer): Consumer {
  consumers.push(c);
  return c;
}

const fast = {
  heartbeatInterval: 300,
  sessionTimeout: 10_000,
  maxWaitTimeInMs: 300,
  groupProtocol: 'classic' as const,
};

/** Registers the tests; shared by the Kafka 4.x (`.test.ts`) and 3.9 (`.compat.test.ts`) runs. */
export function classicGroupTests(): void {
  describe('classic consumer group', () => {
    it('one member reads every record of every partition, whatever codec kcat wrote it with', async () => {
      const topic = await seededTopic('consumer-classic-one');
      const c = track(newConsumer({ groupId: `g-${topic}`, ...fast }));
      const seen = new Map<string, { key: string; partition: number; offset: string; timestamp: string }>();
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({
        eachMessage: async ({ partition, message }) => {
          seen.set(message.value!.toString(), {
            key: message.key!.toString(),
            partition,
            offset: message.offset,
            timestamp: message.timestamp,
          });
        },
      });
      await waitFor(() => seen.size === 6 * PER_PARTITION, 30_000, 'all records');
      for (let p = 0; p < 6; p++) {
        for (let i = 0; i < PER_PARTITION; i++) {
          const m = seen.get(`value-${p}-${i}`);
          assert.ok(m, `value-${p}-${i} (${CODECS[p]}) missing`);
          assert.equal(m.key, `key-${p}-${i}`);
          assert.equal(m.partition, p);
          assert.equal(m.offset, String(i));
          assert.match(m.timestamp, /^\d{13}$/);
        }
      }
      await c.disconnect();
    });

    for (const [name, assigner] of [
      ['roundrobin (eager)', PartitionAssigners.roundRobin],
      ['cooperative-sticky', PartitionAssigners.cooperativeSticky],
    ] as const) {
      it(`two members split the partitions and process every record (${name})`, async () => {
        const topic = await seededTopic('consumer-classic-two');
        const groupId = `g-${topic}`;
        const seen = new Set<string>();
        const byMember: Array<Set<number>> = [new Set(), new Set()];
        // Who owns each partition right now, per the rebalance listeners; a partition must never
        // be handed to a member while another still owns it (the point of KIP-429's revocation).
        const owner = new Map<number, number>();
        const overlaps: string[] = [];
        let revocations = 0;
        const make = (i: number) => {
          const c = track(newConsumer({ groupId, partitionAssigners: [assigner], ...fast }));
          return { c, i };
        };
        const members = [make(0), make(1)];
        for (const { c, i } of members) {
          await c.connect();
          await c.subscribe({ topics: [topic], fromBeginning: true });
          await c.run({
            rebalanceListener: {
              onPartitionsAssigned: (ps) => {
                for (const p of ps) {
                  const o = owner.get(p.partition);
                  if (o !== undefined && o !== i) overlaps.push(`${p.partition} to ${i} while ${o} owns it`);
                  owner.set(p.partition, i);
                }
              },
              onPartitionsRevoked: (ps) => {
                revocations++;
                for (const p of ps) if (owner.get(p.partition) === i) owner.delete(p.partition);
              },
            },
            eachMessage: async ({ partition, message }) => {
              seen.add(message.value!.toString());
              byMember[i]!.add(partition);
              // Slow enough that the second member joins while the first is still consuming.
              await new Promise((r) => setTimeout(r, 5));
            },
          });
          // The second member joins only once the first owns everything, so that it must give
          // partitions up (otherwise both may land in the first generation together).
          if (i === 0)
            await waitFor(
              () => c.assignment().length === 6,
              30_000,
              'the first member owning every partition',
            );
        }
        await waitFor(() => seen.size === 6 * PER_PARTITION, 60_000, 'all records');
        await waitFor(
          () => members.every(({ c }) => c.assignment().length === 3),
          30_000,
          'a 3/3 split of the partitions',
        );
        const a = members[0]!.c.assignment().map((p) => p.partition);
        const b = members[1]!.c.assignment().map((p) => p.partition);
        assert.equal(new Set([...a, ...b]).size, 6, 'every partition owned exactly once');
        assert.deepEqual(overlaps, []);
        assert.ok(revocations > 0, 'the first member gave partitions up');
        for (const { c } of members) await c.disconnect();
      });
    }

    it('resumes from the committed offset after a restart', async () => {
      const topic = uniqueTopicName('consumer-classic-resume');
      await createTopic(topic, 1);
      await produceWithKcat(
        topic,
        0,
        Array.from({ length: 10 }, (_, i) => `k:first-${i}`),
      );
      const groupId = `g-${topic}`;
      const first = track(newConsumer({ groupId, ...fast }));
      const got: string[] = [];
      await first.connect();
      await first.subscribe({ topics: [topic], fromBeginning: true });
      await first.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
      await waitFor(() => got.length === 10, 30_000, 'first 10');
      await first.disconnect(); // commits what was processed

      await produceWithKcat(
        topic,
        0,
        Array.from({ length: 5 }, (_, i) => `k:second-${i}`),
      );
      const second = track(newConsumer({ groupId, ...fast }));
      const again: Array<{ value: string; offset: string }> = [];
      await second.connect();
      await second.subscribe({ topics: [topic], fromBeginning: true });
      await second.run({
        eachMessage: async ({ message }) =>
          void again.push({ value: message.value!.toString(), offset: message.offset }),
      });
      await waitFor(() => again.length >= 5, 30_000, 'records after restart');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(
        again.map((m) => m.value),
        Array.from({ length: 5 }, (_, i) => `second-${i}`),
      );
      assert.equal(again[0]!.offset, '10');
      await second.disconnect();
    });

    it('emits KafkaJS instrumentation events', async () => {
      const topic = uniqueTopicName('consumer-classic-events');
      await createTopic(topic, 1);
      await produceWithKcat(topic, 0, ['k:v']);
      const c = track(newConsumer({ groupId: `g-${topic}`, ...fast }));
      const events = new Set<string>();
      for (const name of Object.values(c.events)) c.on(name, (e) => events.add(e.type));
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      let done = false;
      await c.run({
        eachMessage: async () => {
          done = true;
        },
      });
      await waitFor(
        () => done && events.has('consumer.commit_offsets') && events.has('consumer.heartbeat'),
        30_000,
        'events',
      );
      await c.disconnect();
      // KafkaJS emits REBALANCING only for joins after the first (lifecycle.shared.ts checks that one).
      assert.ok(!events.has('consumer.rebalancing'), 'no REBALANCING for the only join');
      for (const e of [
        'consumer.connect',
        'consumer.group_join',
        'consumer.fetch_start',
        'consumer.fetch',
        'consumer.start_batch_process',
        'consumer.end_batch_process',
        'consumer.commit_offsets',
        'consumer.heartbeat',
        'consumer.stop',
        'consumer.disconnect',
      ]) {
        assert.ok(events.has(e), `${e} not emitted`);
      }
    });
  });
}
