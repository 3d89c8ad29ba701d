/**
 * Group members, as the admin sees them: a static member of a classic group (joined with raw
 * JoinGroup/SyncGroup requests) removed by removeMembersFromConsumerGroup, and a KIP-848 group
 * (joined with raw ConsumerGroupHeartbeat requests) described by describeConsumerGroups. Raw
 * requests stand in for a consumer, so the broker's view is the witness, not another kafkats path.
 * Run against 4.x (groups.test.ts) and 3.9 (groups.compat.test.ts; its harness enables the
 * consumer protocol).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Admin, KafkaJSAggregateError } from '../../../src/admin/index.js';
import { GroupIdNotFoundError, UnknownMemberIdError } from '../../../src/errors/protocol.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { Codes } from '../../../src/protocol/codes.js';
import { ConsumerGroupHeartbeat, JoinGroup, SyncGroup } from '../../../src/protocol/messages/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { kafka, newAdmin } from './helpers.js';

/** ConsumerProtocolSubscription v0: version, topics, user data (null). */
function subscription(topics: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const count = Buffer.alloc(4);
  count.writeInt32BE(topics.length);
  parts.push(count);
  for (const t of topics) {
    const len = Buffer.alloc(2);
    len.writeInt16BE(Buffer.byteLength(t));
    parts.push(len, Buffer.from(t));
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return Buffer.concat(parts);
}

/** ConsumerProtocolAssignment v0 with no partitions. */
const EMPTY_ASSIGNMENT = Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);

/** Joins a classic group as a static member and completes the rebalance; returns the member id. */
async function joinStatic(cluster: Cluster, groupId: string, instanceId: string, topic: string) {
  const connection = await cluster.coordinatorConnection('group', groupId);
  const joined = await connection.send(JoinGroup, {
    groupId,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: instanceId,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription([topic]) }],
    reason: null,
  });
  assert.equal(joined.errorCode, 0, `JoinGroup error ${joined.errorCode}`);
  assert.equal(joined.leader, joined.memberId, 'the only member leads');
  const synced = await connection.send(SyncGroup, {
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: instanceId,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [{ memberId: joined.memberId, assignment: EMPTY_ASSIGNMENT }],
  });
  assert.equal(synced.errorCode, 0, `SyncGroup error ${synced.errorCode}`);
  return joined.memberId;
}

/** A KIP-848 member driven by hand: each `beat` sends one ConsumerGroupHeartbeat. */
export async function consumerProtocolMember(cluster: Cluster, groupId: string, topic: string) {
  const connection = await cluster.coordinatorConnection('group', groupId);
  // v1 (Kafka 4.x, KIP-1082) wants a member id chosen by the client; v0 has the broker choose.
  const v1 = connection.versionFor(ConsumerGroupHeartbeat) >= 1;
  let memberId = v1 ? randomBytes(16).toString('base64url') : '';
  let memberEpoch = 0;
  let owned: Array<{ topicId: string; partitions: number[] }> | null = [];
  const beat = async (epoch = memberEpoch) => {
    // A fresh cluster's coordinator may still be loading its __consumer_offsets partition
    // (COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR for a moment): ask again, as members do.
    for (let attempt = 0; ; attempt++) {
      const res = await heartbeat(epoch);
      if (
        attempt < 20 &&
        (res.errorCode === Codes.COORDINATOR_LOAD_IN_PROGRESS || res.errorCode === Codes.NOT_COORDINATOR)
      ) {
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      return res;
    }
  };
  const heartbeat = async (epoch: number) => {
    const res = await connection.send(ConsumerGroupHeartbeat, {
      groupId,
      memberId,
      memberEpoch: epoch,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: epoch === 0 ? [topic] : null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: owned,
    });
    if (res.errorCode === Codes.COORDINATOR_LOAD_IN_PROGRESS || res.errorCode === Codes.NOT_COORDINATOR)
      return res;
    assert.equal(res.errorCode, 0, `ConsumerGroupHeartbeat error ${res.errorCode}: ${res.errorMessage}`);
    memberId = res.memberId ?? memberId;
    memberEpoch = res.memberEpoch;
    // Acknowledge the assignment at once: the next heartbeat reports it as owned.
    owned = res.assignment
      ? res.assignment.topicPartitions.map((tp) => ({ topicId: tp.topicId, partitions: tp.partitions }))
      : null;
    return res;
  };
  return {
    beat,
    leave: () => beat(-1),
    get memberId() {
      return memberId;
    },
  };
}

/** `extra` adds version-specific cases inside the same suite, with its admin and cluster. */
export function adminGroupMembers(
  extra?: (ctx: { admin: () => Admin; cluster: () => Cluster; topic: string }) => void,
): void {
  describe('admin and group members', () => {
    const k = kafka();
    let admin: Admin;
    let cluster: Cluster;
    const topic = uniqueTopicName('admin-members');

    before(async () => {
      admin = newAdmin(k);
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
      cluster = k.cluster();
      await cluster.connect();
    });
    after(async () => {
      await cluster.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    });

    extra?.({ admin: () => admin, cluster: () => cluster, topic });

    it('removes a static member by group.instance.id, leaving the group empty', async () => {
      const groupId = uniqueTopicName('admin-static');
      const memberId = await joinStatic(cluster, groupId, 'instance-1', topic);

      const before = await admin.describeGroups([groupId]);
      assert.equal(before.groups[0]!.state, 'Stable');
      assert.deepEqual(
        before.groups[0]!.members.map((m) => [m.memberId, m.groupInstanceId]),
        [[memberId, 'instance-1']],
      );

      const removed = await admin.removeMembersFromConsumerGroup({
        groupId,
        members: [{ groupInstanceId: 'instance-1' }],
      });
      assert.equal(removed.length, 1);
      assert.equal(removed[0]!.groupInstanceId, 'instance-1');
      assert.equal(removed[0]!.errorCode, 0);

      const afterRemove = await admin.describeGroups([groupId]);
      assert.equal(afterRemove.groups[0]!.state, 'Empty');
      assert.deepEqual(afterRemove.groups[0]!.members, []);

      // A second removal of the same instance is the broker's UNKNOWN_MEMBER_ID, per member.
      const e = await admin
        .removeMembersFromConsumerGroup({ groupId, members: [{ groupInstanceId: 'instance-1' }] })
        .then(
          () => assert.fail('expected a rejection'),
          (err: unknown) => err,
        );
      assert.ok(e instanceof KafkaJSAggregateError);
      assert.ok(e.errors[0] instanceof UnknownMemberIdError);
      assert.equal((e.errors[0] as { groupId?: string }).groupId, groupId);
      await admin.deleteGroups([groupId]);
    });

    it('describes a classic group through DescribeGroups, as Java does; a group of neither kind fails per group', async () => {
      // An empty classic group: committed offsets and no member (protocol type "").
      const g = uniqueTopicName('admin-classic');
      await admin.setOffsets({ groupId: g, topic, partitions: [{ partition: 1, offset: '0' }] });
      const { groups } = await admin.describeConsumerGroups([g]);
      const d = groups[0]!;
      assert.deepEqual(
        [d.groupId, d.type, d.state, d.groupEpoch, d.assignmentEpoch, d.members],
        [g, 'classic', 'Empty', -1, -1, []],
      );
      const missing = uniqueTopicName('admin-no-group');
      const e = await admin.describeConsumerGroups([g, missing]).then(
        () => assert.fail('expected a rejection'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof KafkaJSAggregateError);
      assert.equal(e.errors.length, 1, 'only the group that does not exist fails');
      assert.ok(e.errors[0] instanceof GroupIdNotFoundError);
      assert.equal((e.errors[0] as { groupId?: string }).groupId, missing);
      await admin.deleteGroups([g]);
    });

    it('describes a KIP-848 group: its member, subscription and reconciled assignment', async () => {
      const groupId = uniqueTopicName('admin-848');
      const member = await consumerProtocolMember(cluster, groupId, topic);
      const joined = await member.beat();
      assert.ok(joined.memberEpoch > 0, 'joined with a positive epoch');

      let described = (await admin.describeConsumerGroups([groupId])).groups[0]!;
      // The broker assigns, the member acknowledges: a few heartbeats until the group is stable.
      for (let i = 0; i < 30; i++) {
        if (described.state === 'Stable' && described.members[0]?.assignment[0]?.partitions.length === 3)
          break;
        await new Promise((r) => setTimeout(r, 100));
        await member.beat();
        described = (await admin.describeConsumerGroups([groupId])).groups[0]!;
      }
      assert.equal(described.groupId, groupId);
      assert.equal(described.type, 'consumer');
      assert.equal(described.state, 'Stable');
      assert.ok(described.groupEpoch >= 1);
      assert.ok(described.assignor.length > 0, `assignor "${described.assignor}"`);
      assert.equal(described.members.length, 1);
      const m = described.members[0]!;
      assert.equal(m.memberId, member.memberId);
      assert.equal(m.clientId, 'kafkats-admin-test');
      assert.deepEqual(m.subscribedTopicNames, [topic]);
      assert.deepEqual(
        m.assignment.map((a) => [a.topic, a.partitions]),
        [[topic, [0, 1, 2]]],
      );
      assert.deepEqual(m.targetAssignment, m.assignment);

      const { groups } = await admin.listGroups();
      assert.equal(groups.find((g) => g.groupId === groupId)?.groupType, 'consumer');

      await member.leave();
      const left = (await admin.describeConsumerGroups([groupId])).groups[0]!;
      assert.deepEqual(left.members, []);
      assert.equal(left.state, 'Empty');
      await admin.deleteGroups([groupId]);
    });
  });
}
