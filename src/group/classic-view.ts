/**
 * The classic (DescribeGroups / KafkaJS) view of a group of the KIP-848 consumer protocol.
 *
 * On Kafka 4.x, DescribeGroups answers GROUP_ID_NOT_FOUND for such a group, so KafkaJS-shaped
 * callers (`admin.describeGroups`, `consumer.describeGroup`) would see an existing, active group
 * as missing. Java's admin describes consumer groups with ConsumerGroupDescribe and falls back to
 * DescribeGroups; we do the reverse for the KafkaJS methods, and render the answer the way a
 * classic group would look: the subscription and the current assignment encoded with the
 * consumer embedded protocol, so `AssignerProtocol.MemberMetadata.decode` /
 * `MemberAssignment.decode` work on them as before.
 */

import type { ConsumerGroupDescribeResponseDescribedGroup } from '../protocol/messages/index.js';
import { encodeAssignment, encodeSubscription } from './consumer-protocol.js';

export interface ClassicGroupView {
  groupId: string;
  errorCode: number;
  /** The broker's KIP-848 state: Empty, Assigning, Reconciling, Stable or Dead. */
  state: string;
  /** `consumer`, as DescribeGroups reports for consumer groups. */
  protocolType: string;
  /** The server-side assignor's name (uniform, range, ...). */
  protocol: string;
  members: Array<{
    memberId: string;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
    groupInstanceId: string | null;
  }>;
}

export function classicViewOf(g: ConsumerGroupDescribeResponseDescribedGroup): ClassicGroupView {
  return {
    groupId: g.groupId,
    errorCode: 0,
    state: g.groupState,
    protocolType: 'consumer',
    protocol: g.assignorName,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: encodeSubscription({
        version: 3,
        topics: [...m.subscribedTopicNames].sort(),
        rackId: m.rackId,
      }),
      memberAssignment: encodeAssignment({
        version: 0,
        assignedPartitions: m.assignment.topicPartitions
          .map((tp) => ({ topic: tp.topicName, partitions: [...tp.partitions].sort((a, b) => a - b) }))
          .sort((a, b) => a.topic.localeCompare(b.topic)),
      }),
      groupInstanceId: m.instanceId,
    })),
  };
}
