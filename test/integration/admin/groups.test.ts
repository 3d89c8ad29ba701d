import assert from 'node:assert/strict';
import { it } from 'node:test';
import { KafkaJSAggregateError } from '../../../src/admin/index.js';
import { AssignerProtocol } from '../../../src/consumer/index.js';
import { GroupIdNotFoundError } from '../../../src/errors/protocol.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { adminGroupMembers, consumerProtocolMember } from './groups.shared.js';
import { kafka } from './helpers.js';

adminGroupMembers(({ admin, cluster, topic }) => {
  // Kafka 4.x only: DescribeGroups answers GROUP_ID_NOT_FOUND for a group of the new protocol,
  // so describeGroups asks ConsumerGroupDescribe and gives the classic view.
  it('describeGroups describes a KIP-848 group in the classic shape', async () => {
    const groupId = uniqueTopicName('admin-848-classic-view');
    const member = await consumerProtocolMember(cluster(), groupId, topic);
    await member.beat();
    try {
      // A few heartbeats until the member owns its assignment and the group is stable.
      for (let i = 0; i < 30; i++) {
        const d = (await admin().describeConsumerGroups([groupId])).groups[0]!;
        if (d.state === 'Stable' && (d.members[0]?.assignment[0]?.partitions.length ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
        await member.beat();
      }
      const { groups } = await admin().describeGroups([groupId]);
      const g = groups[0]!;
      assert.equal(g.groupId, groupId);
      assert.equal(g.errorCode, 0);
      assert.equal(g.protocolType, 'consumer');
      assert.ok(g.protocol.length > 0, 'the assignor name');
      assert.equal(g.members.length, 1);
      const full = (await admin().describeConsumerGroups([groupId])).groups[0]!;
      assert.equal(g.members[0]!.memberId, full.members[0]!.memberId);
      assert.equal(g.state, full.state);
      assert.deepEqual(AssignerProtocol.MemberMetadata.decode(g.members[0]!.memberMetadata)?.topics, [topic]);
      const assigned = AssignerProtocol.MemberAssignment.decode(g.members[0]!.memberAssignment)!.assignment;
      assert.deepEqual(
        assigned,
        Object.fromEntries(full.members[0]!.assignment.map((a) => [a.topic, a.partitions])),
        'the assignment ConsumerGroupDescribe reports',
      );
    } finally {
      await member.leave();
      await admin()
        .deleteGroups([groupId])
        .catch(() => {});
    }
  });

  it('describeConsumerGroups describes a classic group (a running consumer) and a KIP-848 group in one call', async () => {
    const classicId = uniqueTopicName('admin-describe-classic');
    const kip848Id = uniqueTopicName('admin-describe-848');
    const consumer = kafka().consumer({ groupId: classicId, groupProtocol: 'classic' });
    const member = await consumerProtocolMember(cluster(), kip848Id, topic);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.run({ eachMessage: async () => {} });
      await joined;
      await member.beat();
      let kip848 = (await admin().describeConsumerGroups([kip848Id])).groups[0]!;
      for (let i = 0; i < 30 && (kip848.members[0]?.assignment[0]?.partitions.length ?? 0) === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await member.beat();
        kip848 = (await admin().describeConsumerGroups([kip848Id])).groups[0]!;
      }

      const { groups } = await admin().describeConsumerGroups([classicId, kip848Id]);
      const byId = new Map(groups.map((g) => [g.groupId, g]));
      const classic = byId.get(classicId)!;
      assert.equal(classic.type, 'classic');
      assert.equal(classic.state, 'Stable');
      assert.match(classic.assignor, /roundrobin/i, 'the assignor the classic group agreed on');
      assert.equal(classic.members.length, 1);
      const c = classic.members[0]!;
      assert.equal(c.clientId, 'kafkats-admin-test');
      assert.deepEqual(c.subscribedTopicNames, [topic]);
      assert.deepEqual(
        c.assignment.map((a) => [a.topic, a.partitions]),
        [[topic, [0, 1, 2]]],
        'the assignment decoded from the embedded consumer protocol',
      );
      assert.equal(c.memberEpoch, -1);

      const k = byId.get(kip848Id)!;
      assert.equal(k.type, 'consumer');
      assert.ok(k.groupEpoch >= 1);
      assert.deepEqual(
        k.members.map((m) => m.memberId),
        [member.memberId],
      );
    } finally {
      await consumer.disconnect();
      await member.leave();
      await admin()
        .deleteGroups([classicId, kip848Id])
        .catch(() => {});
    }
  });

  it('describeGroups of a group that does not exist fails with GROUP_ID_NOT_FOUND on Kafka 4.x', async () => {
    const e = await admin()
      .describeGroups([uniqueTopicName('admin-no-such-group')])
      .then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
    assert.ok(e instanceof KafkaJSAggregateError);
    assert.ok(e.errors[0] instanceof GroupIdNotFoundError);
  });
});
