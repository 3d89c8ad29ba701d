import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssignerProtocol } from '../../../src/consumer/index.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { kafkaVersion, uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, newConsumer, produceWithKcat, waitFor } from './helpers.js';

const [major] = kafkaVersion();

describe('KIP-848 consumer group (groupProtocol: consumer)', {
  skip: major < 4 ? 'needs Kafka 4.x' : false,
}, () => {
  it('two members share a 6-partition topic with server-side assignment', async () => {
    const topic = uniqueTopicName('consumer-848');
    await createTopic(topic, 6);
    for (let p = 0; p < 6; p++) {
      await produceWithKcat(
        topic,
        p,
        Array.from({ length: 10 }, (_, i) => `k:${p}-${i}`),
      );
    }
    const groupId = `g-${topic}`;
    const seen = new Set<string>();
    const members = [0, 1].map(() =>
      newConsumer({ groupId, groupProtocol: 'consumer', maxWaitTimeInMs: 200 }),
    );
    for (const c of members) {
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({
        eachMessage: async ({ message }) => {
          seen.add(message.value!.toString());
          await new Promise((r) => setTimeout(r, 5));
        },
      });
    }
    await waitFor(() => seen.size === 60, 60_000, 'all records');
    await waitFor(() => members.every((c) => c.assignment().length === 3), 30_000, 'a 3/3 split');
    const owned = members.flatMap((c) => c.assignment().map((p) => p.partition));
    assert.equal(new Set(owned).size, 6);
    // KafkaJS's describeGroup() on a KIP-848 group: the classic view, both members in it.
    const described = await members[0]!.describeGroup();
    assert.equal(described.errorCode, 0);
    assert.equal(described.protocolType, 'consumer');
    assert.equal(described.members.length, 2);
    const shares = described.members.map(
      (m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic]?.length ?? 0,
    );
    assert.deepEqual(shares, [3, 3], 'each member has 3 partitions in the description');
    for (const c of members) await c.disconnect();
  });

  it('is chosen by default on a 4.x broker', async () => {
    const topic = uniqueTopicName('consumer-848-default');
    await createTopic(topic, 1);
    await produceWithKcat(topic, 0, ['k:v']);
    const c = newConsumer({ groupId: `g-${topic}`, maxWaitTimeInMs: 200 });
    let protocol = '';
    c.on('consumer.group_join', (e) => {
      protocol = String(e.payload.groupProtocol);
    });
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    let got = 0;
    await c.run({ eachMessage: async () => void got++ });
    await waitFor(() => got === 1, 20_000, 'the record');
    assert.equal(protocol, 'consumer');
    await c.disconnect();
  });

  it('sends a RegExp subscription to the broker, which assigns a matching topic created after subscribe', async () => {
    const prefix = uniqueTopicName('consumer-848-regex');
    const first = `${prefix}-a`;
    const later = `${prefix}-b`;
    await createTopic(first, 2);
    await produceWithKcat(first, 0, ['k:a0']);
    const groupId = `g-${prefix}`;
    // A metadata refresh far away: the client alone would not see the later topic during the test.
    const c = newConsumer({
      groupId,
      groupProtocol: 'consumer',
      maxWaitTimeInMs: 200,
      metadataMaxAge: 600_000,
    });
    const admin = new Kafka({ brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
    const seen = new Set<string>();
    try {
      await c.connect();
      await admin.connect();
      const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-`);
      await c.subscribe({ topics: [pattern], fromBeginning: true });
      await c.run({
        eachMessage: async ({ topic, message }) => void seen.add(`${topic}:${message.value}`),
      });
      await waitFor(() => seen.has(`${first}:a0`), 30_000, 'the record of the topic that existed');

      // The broker holds the pattern, translated for RE2/J's whole-name match.
      const described = (await admin.describeConsumerGroups([groupId])).groups[0]!;
      assert.equal(described.members[0]?.subscribedTopicRegex, `.*(?:${pattern.source}).*`);

      await createTopic(later, 1);
      await produceWithKcat(later, 0, ['k:b0']);
      await waitFor(() => c.assignment().some((p) => p.topic === later), 90_000, 'the later topic assigned');
      await waitFor(() => seen.has(`${later}:b0`), 30_000, 'the record of the later topic');
      const topics = new Set(c.assignment().map((p) => p.topic));
      assert.deepEqual([...topics].sort(), [first, later]);
    } finally {
      await c.disconnect();
      await admin.disconnect();
    }
  });

  it('refuses a pattern the broker cannot take (lookahead) at subscribe, with a typed error', async () => {
    const c = newConsumer({ groupId: uniqueTopicName('g-848-lookahead'), groupProtocol: 'consumer' });
    await assert.rejects(c.subscribe({ topics: [/^orders-(?!test)/] }), (e: unknown) => {
      assert.ok(e instanceof KafkaJSInvalidArgument);
      assert.match((e as Error).message, /lookahead/);
      return true;
    });
  });
});
