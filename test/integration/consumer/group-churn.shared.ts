/**
 * Group churn while a producer writes continuously: members join and leave a 12-partition topic,
 * and afterwards every acknowledged record was processed at least once. A record may be
 * processed twice only when its first owner had not committed it when the partition moved; the
 * test counts those offsets at every hand-over and checks the duplicates against that budget.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Consumer, PartitionAssigners } from '../../../src/consumer/index.js';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const PARTITIONS = 12;

interface Member {
  name: string;
  consumer: Consumer;
  /** Highest processed offset per partition while owned. */
  processed: Map<number, number>;
  /** Last committed next-offset per partition (from consumer.commit_offsets). */
  committed: Map<number, number>;
  revoked: number[];
}

export function groupChurnTests(protocols: ReadonlyArray<'classic' | 'consumer'>): void {
  for (const protocol of protocols) {
    const label = protocol === 'classic' ? 'classic cooperative-sticky' : 'KIP-848';
    describe(`group churn (${label})`, () => {
      it('members join and leave under continuous production: nothing lost, duplicates only for uncommitted offsets', async () => {
        const kafka = new Kafka({ clientId: 'churn', brokers: brokers(), logLevel: logLevel.NOTHING });
        const topic = uniqueTopicName(`consumer-churn-${protocol}`);
        await createTopic(topic, PARTITIONS);
        const groupId = `g-${topic}`;

        // partition:offset -> times processed
        const processedCount = new Map<string, number>();
        const produced = new Set<string>();
        let budget = 0;

        const producer = kafka.producer();
        await producer.connect();
        let producing = true;
        let seq = 0;
        const producing$ = (async () => {
          while (producing) {
            const messages = Array.from({ length: 25 }, () => ({ key: `k${seq % 97}`, value: `v${seq++}` }));
            // send() resolves once every record of the request is acknowledged.
            await producer.send({ topic, messages });
            for (const m of messages) produced.add(m.value);
            await new Promise((r) => setTimeout(r, 15));
          }
        })();

        const seenValues = new Map<string, number>();
        const settle = (m: Member, partitions: number[]) => {
          for (const p of partitions) {
            const hi = m.processed.get(p);
            const c = m.committed.get(p) ?? 0;
            if (hi !== undefined && hi + 1 > c) budget += hi + 1 - c;
            m.processed.delete(p);
            m.committed.delete(p);
          }
        };

        const start = async (name: string): Promise<Member> => {
          const consumer = kafka.consumer({
            groupId,
            groupProtocol: protocol,
            partitionAssigners: [PartitionAssigners.cooperativeSticky],
            heartbeatInterval: 300,
            sessionTimeout: 10_000,
            maxWaitTimeInMs: 200,
          });
          const m: Member = { name, consumer, processed: new Map(), committed: new Map(), revoked: [] };
          consumer.on('consumer.commit_offsets', (e) => {
            const topics = e.payload.topics as Array<{
              topic: string;
              partitions: Array<{ partition: string; offset: string }>;
            }>;
            for (const t of topics)
              for (const p of t.partitions) m.committed.set(Number(p.partition), Number(p.offset));
          });
          await consumer.connect();
          await consumer.subscribe({ topics: [topic], fromBeginning: true });
          await consumer.run({
            rebalanceListener: {
              onPartitionsRevoked: (ps) => {
                m.revoked.push(...ps.map((p) => p.partition));
                settle(
                  m,
                  ps.map((p) => p.partition),
                );
              },
              onPartitionsLost: (ps) =>
                settle(
                  m,
                  ps.map((p) => p.partition),
                ),
            },
            eachMessage: async ({ partition, message }) => {
              const key = `${partition}:${message.offset}`;
              processedCount.set(key, (processedCount.get(key) ?? 0) + 1);
              const v = message.value!.toString();
              seenValues.set(v, (seenValues.get(v) ?? 0) + 1);
              const o = Number(message.offset);
              if (o > (m.processed.get(partition) ?? -1)) m.processed.set(partition, o);
              await new Promise((r) => setTimeout(r, 1));
            },
          });
          return m;
        };
        const stop = async (m: Member) => {
          const owned = m.consumer.assignment().map((p) => p.partition);
          await m.consumer.disconnect();
          settle(m, owned);
        };
        const owned = (m: Member) =>
          m.consumer
            .assignment()
            .map((p) => p.partition)
            .sort((a, b) => a - b);
        const balanced = async (members: Member[], what: string) => {
          const each = PARTITIONS / members.length;
          await waitFor(
            () => {
              const all = members.flatMap(owned);
              return members.every((m) => owned(m).length === each) && new Set(all).size === PARTITIONS;
            },
            60_000,
            what,
          );
        };
        // With cooperative-sticky (and the broker's uniform assignor), a member already in the
        // group keeps what it owned, giving up only what the newcomer takes.
        const keeps = (before: Map<Member, number[]>, what: string) => {
          for (const [m, prev] of before) {
            const now = owned(m);
            assert.ok(
              now.every((p) => prev.includes(p)),
              `${what}: ${m.name} had [${prev}] and now owns [${now}], taking partitions it did not own`,
            );
          }
        };
        const snapshot = (ms: Member[]) => new Map(ms.map((m) => [m, owned(m)] as const));

        const a = await start('a');
        await balanced([a], 'a owns all 12');
        await new Promise((r) => setTimeout(r, 1000));
        let before = snapshot([a]);
        const b = await start('b');
        await balanced([a, b], 'a 6/6 split');
        if (protocol === 'classic') keeps(before, 'b joined');
        await new Promise((r) => setTimeout(r, 1000));
        before = snapshot([a, b]);
        const c = await start('c');
        await balanced([a, b, c], 'a 4/4/4 split');
        if (protocol === 'classic') keeps(before, 'c joined');
        await new Promise((r) => setTimeout(r, 1000));
        await stop(b);
        await balanced([a, c], 'a 6/6 split after b left');
        await new Promise((r) => setTimeout(r, 1000));
        before = snapshot([a, c]);
        const d = await start('d');
        await balanced([a, c, d], 'a 4/4/4 split after d joined');
        if (protocol === 'classic') keeps(before, 'd joined');
        await new Promise((r) => setTimeout(r, 1000));
        await stop(a);
        await balanced([c, d], 'a 6/6 split after a left');
        await new Promise((r) => setTimeout(r, 1000));

        producing = false;
        await producing$;
        await producer.disconnect();
        await waitFor(
          () => [...produced].every((v) => seenValues.has(v)),
          60_000,
          'every produced record processed',
        );
        await stop(c);
        await stop(d);

        const missing = [...produced].filter((v) => !seenValues.has(v));
        assert.deepEqual(missing, [], 'records never processed');
        let duplicates = 0;
        for (const n of processedCount.values()) if (n > 1) duplicates += n - 1;
        console.log(
          `# churn ${label}: produced ${produced.size}, processed ${[...processedCount.values()].reduce((x, y) => x + y, 0)}, duplicates ${duplicates}, uncommitted at revocations ${budget}`,
        );
        assert.ok(
          duplicates <= budget,
          `${duplicates} duplicates, but only ${budget} offsets were uncommitted when partitions moved`,
        );
      });
    });
  }
}
