/**
 * The KafkaJS-surface basics, run against the 4.x broker (basics.test.ts) and against Kafka 3.9
 * (basics.compat.test.ts). Each effect is checked through a second path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Admin, ConfigResourceTypes, ConfigSource } from '../../../src/admin/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { kcatProduce, newAdmin } from './helpers.js';

export function adminBasics(): void {
  describe('admin basics (KafkaJS surface)', () => {
    let admin: Admin;
    const topic = uniqueTopicName('admin-basics');

    before(async () => {
      admin = newAdmin();
      await admin.connect();
    });
    after(async () => {
      await admin.disconnect();
    });

    it('creates a topic, lists it, describes its metadata, and says false when it already exists', async () => {
      const created = await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: 3,
            replicationFactor: 1,
            configEntries: [{ name: 'retention.ms', value: '3600000' }],
          },
        ],
      });
      assert.equal(created, true);
      assert.ok((await admin.listTopics()).includes(topic));
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(topics.length, 1);
      assert.equal(topics[0]!.name, topic);
      assert.deepEqual(
        topics[0]!.partitions.map((p) => p.partitionId),
        [0, 1, 2],
      );
      for (const p of topics[0]!.partitions) {
        assert.ok(p.leader >= 0, 'waitForLeaders: every partition has a leader');
        assert.deepEqual(p.isr, p.replicas);
      }
      assert.equal(await admin.createTopics({ topics: [{ topic }] }), false);
    });

    it('describes the cluster as the bootstrap broker sees it', async () => {
      const d = await admin.describeCluster();
      assert.equal(d.brokers.length, testCluster().nodes.length);
      assert.ok(d.clusterId.length > 0);
      assert.ok(d.controller !== null && d.brokers.some((b) => b.nodeId === d.controller));
    });

    it('reads the topic config set at creation, alters it and reads the change back', async () => {
      const before = await admin.describeConfigs({
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] },
        ],
      });
      const entries = before.resources[0]!.configEntries;
      const retention = entries.find((e) => e.configName === 'retention.ms')!;
      assert.equal(retention.configValue, '3600000');
      assert.equal(retention.isDefault, false);
      assert.equal(retention.configSource, ConfigSource.TOPIC_CONFIG);
      assert.equal(entries.find((e) => e.configName === 'cleanup.policy')!.isDefault, true);

      const altered = await admin.alterConfigs({
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'retention.ms', value: '7200000' }],
          },
        ],
      });
      assert.equal(altered.resources[0]!.errorCode, 0);
      let value: string | null = null;
      for (let i = 0; i < 30 && value !== '7200000'; i++) {
        // The change reaches the brokers through the metadata log: poll until it shows.
        if (i > 0) await new Promise((r) => setTimeout(r, 100));
        const afterAlter = await admin.describeConfigs({
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
        });
        value = afterAlter.resources[0]!.configEntries[0]!.configValue;
      }
      assert.equal(value, '7200000');
    });

    it('fetches topic offsets, deletes records and sees the low watermark move', async () => {
      await kcatProduce(topic, 0, ['a', 'b', 'c', 'd', 'e']);
      await kcatProduce(topic, 1, ['x']);
      const offsets = await admin.fetchTopicOffsets(topic);
      assert.deepEqual(offsets, [
        { partition: 0, offset: '5', high: '5', low: '0' },
        { partition: 1, offset: '1', high: '1', low: '0' },
        { partition: 2, offset: '0', high: '0', low: '0' },
      ]);
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
      const afterDelete = await admin.fetchTopicOffsets(topic);
      assert.equal(afterDelete[0]!.low, '3');
      assert.equal(afterDelete[0]!.high, '5');
      assert.equal(afterDelete[1]!.low, '0');
    });

    it('finds offsets by timestamp', async () => {
      const past = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 3_600_000);
      assert.equal(past.find((p) => p.partition === 1)!.offset, '0');
      const future = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() + 3_600_000);
      assert.deepEqual(
        future.map((p) => p.offset),
        ['5', '1', '0'],
      );
    });

    it('sets a group offsets, fetches them back, and resets them to the earliest', async () => {
      const groupId = uniqueTopicName('admin-group');
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '4' }] });
      const fetched = await admin.fetchOffsets({ groupId, topics: [topic] });
      assert.equal(fetched.length, 1);
      assert.equal(fetched[0]!.topic, topic);
      assert.deepEqual(
        fetched[0]!.partitions.map((p) => [p.partition, p.offset]),
        [
          [0, '4'],
          [1, '-1'],
          [2, '-1'],
        ],
      );
      const resolved = await admin.fetchOffsets({ groupId, topics: [topic], resolveOffsets: true });
      assert.deepEqual(
        resolved[0]!.partitions.map((p) => p.offset),
        ['4', '1', '0'],
      );
      await admin.resetOffsets({ groupId, topic, earliest: true });
      const reset = await admin.fetchOffsets({ groupId });
      assert.deepEqual(
        reset.find((t) => t.topic === topic)!.partitions.map((p) => p.offset),
        ['3', '0', '0'],
      );
      const { groups } = await admin.listGroups();
      assert.ok(groups.some((g) => g.groupId === groupId));
      const described = await admin.describeGroups([groupId]);
      assert.equal(described.groups[0]!.state, 'Empty');
      const deleted = await admin.deleteGroups([groupId]);
      assert.deepEqual(deleted, [{ groupId, errorCode: 0 }]);
      assert.ok(!(await admin.listGroups()).groups.some((g) => g.groupId === groupId));
    });

    it('adds partitions', async () => {
      assert.equal(await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] }), true);
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(topics[0]!.partitions.length, 5);
    });

    it('deletes the topic', async () => {
      await admin.deleteTopics({ topics: [topic] });
      for (let i = 0; i < 50 && (await admin.listTopics()).includes(topic); i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.ok(!(await admin.listTopics()).includes(topic));
    });
  });
}
