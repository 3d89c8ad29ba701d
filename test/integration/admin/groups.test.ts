import assert from 'node:assert/strict';
import { it } from 'node:test';
import { KafkaJSAggregateError } from '../../../src/admin/index.js';
import { AssignerProtocol } from '../../../src/consumer/index.js';
import { GroupIdNotFoundError } from '../../../src/errors/protocol.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { adminGroupMembers, consumerProtocolMember } from './groups.shared.js';

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
