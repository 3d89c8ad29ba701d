/**
 * Static membership (KIP-345, and the KIP-848 instance id): a member with a groupInstanceId that
 * stops and comes back within the session timeout gets its partitions back without a rebalance;
 * the other member's assignment does not move and it sees no rebalancing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Consumer } from '../../../src/consumer/index.js';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

export function staticMembershipTests(protocols: ReadonlyArray<'classic' | 'consumer'>): void {
  for (const protocol of protocols) {
    describe(`static membership (${protocol})`, () => {
      it('a static member restarted within the session timeout causes no rebalance', async () => {
        const kafka = new Kafka({ clientId: 'static', brokers: brokers(), logLevel: logLevel.NOTHING });
        const topic = uniqueTopicName(`consumer-static-${protocol}`);
        await createTopic(topic, 6);
        const groupId = `g-${topic}`;
        const producer = kafka.producer();
        await producer.connect();
        const send = (tag: string) =>
          producer.send({
            topic,
            messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}` })),
          });
        await send('first');

        const seen = new Set<string>();
        const make = (instance: string): Consumer =>
          kafka.consumer({
            groupId,
            groupProtocol: protocol,
            groupInstanceId: instance,
            sessionTimeout: 30_000,
            heartbeatInterval: 500,
            maxWaitTimeInMs: 200,
          });
        const runIt = async (c: Consumer) => {
          await c.connect();
          await c.subscribe({ topics: [topic], fromBeginning: true });
          await c.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
        };
        const owned = (c: Consumer) =>
          c
            .assignment()
            .map((p) => p.partition)
            .sort((x, y) => x - y);

        const a = make('static-a');
        const b = make('static-b');
        await runIt(a);
        await runIt(b);
        await waitFor(() => owned(a).length === 3 && owned(b).length === 3, 60_000, 'a 3/3 split');
        await waitFor(() => seen.size === 60, 30_000, 'the first 60 records');
        // Let the group settle (a cooperative second round, the last heartbeats) before watching b.
        await new Promise((r) => setTimeout(r, 2000));
        const aBefore = owned(a);
        const bBefore = owned(b);
        let bRebalances = 0;
        b.on('consumer.rebalancing', () => void bRebalances++);
        b.on('consumer.group_join', () => void bRebalances++);

        await a.disconnect(); // static: no LeaveGroup, the broker keeps a's slot for the session timeout
        await send('second');
        const a2 = make('static-a');
        await runIt(a2);
        await waitFor(() => owned(a2).length === 3, 20_000, 'the restarted member to get its partitions');
        await waitFor(() => seen.size === 120, 30_000, 'the second 60 records');
        await new Promise((r) => setTimeout(r, 3000));

        assert.deepEqual(owned(a2), aBefore, 'the restarted member got the same partitions back');
        assert.deepEqual(owned(b), bBefore, 'the other member kept its partitions');
        assert.equal(bRebalances, 0, 'the other member saw no rebalance');
        await a2.disconnect();
        await b.disconnect();
        await producer.disconnect();
      });
    });
  }
}
