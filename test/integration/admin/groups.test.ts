import assert from 'node:assert/strict';
import { it } from 'node:test';
import { KafkaJSAggregateError } from '../../../src/admin/index.js';
import { GroupIdNotFoundError } from '../../../src/errors/protocol.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { adminGroupMembers, consumerProtocolMember } from './groups.shared.js';

adminGroupMembers(({ admin, cluster, topic }) => {
  // Kafka 4.x only: DescribeGroups answers GROUP_ID_NOT_FOUND for a group of the new protocol.
  it('describeGroups does not describe a KIP-848 group (describeConsumerGroups does)', async () => {
    const groupId = uniqueTopicName('admin-848-classic-view');
    const member = await consumerProtocolMember(cluster(), groupId, topic);
    await member.beat();
    try {
      const e = await admin()
        .describeGroups([groupId])
        .then(
          () => assert.fail('expected a rejection'),
          (err: unknown) => err,
        );
      assert.ok(e instanceof KafkaJSAggregateError);
      assert.ok(e.errors[0] instanceof GroupIdNotFoundError);
      assert.equal((await admin().describeConsumerGroups([groupId])).groups[0]!.members.length, 1);
    } finally {
      await member.leave();
      await admin()
        .deleteGroups([groupId])
        .catch(() => {});
    }
  });
});
