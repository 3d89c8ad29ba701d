import {
  type AssignmentInput,
  compareMembers,
  emptyAssignment,
  type GroupAssignment,
  type MemberSubscriptionInfo,
  toTopicPartitions,
} from './types.js';

/**
 * Java's RangeAssignor: topic by topic, the subscribed members in a fixed order each take a
 * contiguous range; the first `partitions % members` take one more. Co-partitioned topics
 * therefore land together (partition 0 of every topic on the same member).
 *
 * When racks are known for both members and replicas, a partition is first offered to a
 * member in the same rack whose range still has room (a simplified KIP-881); partitions no
 * same-rack member can take fall back to the plain range order.
 */
export function rangeAssign(input: AssignmentInput): GroupAssignment {
  const pairs = new Map<string, Array<[string, number]>>();
  for (const m of input.members) pairs.set(m.memberId, []);
  const topics = new Set<string>();
  for (const m of input.members) for (const t of m.topics) topics.add(t);
  for (const topic of [...topics].sort()) {
    const count = input.partitionsPerTopic.get(topic) ?? 0;
    if (count <= 0) continue;
    const members = input.members.filter((m) => m.topics.includes(topic)).sort(compareMembers);
    const per = Math.floor(count / members.length);
    const extra = count % members.length;
    const quota = new Map<string, number>();
    for (const [i, m] of members.entries()) quota.set(m.memberId, per + (i < extra ? 1 : 0));
    const given = assignTopic(topic, count, members, quota, input);
    for (const [memberId, ps] of given) for (const p of ps) pairs.get(memberId)!.push([topic, p]);
  }
  const out = emptyAssignment(input.members);
  for (const [memberId, list] of pairs) out.set(memberId, toTopicPartitions(list));
  return out;
}

function assignTopic(
  topic: string,
  count: number,
  members: MemberSubscriptionInfo[],
  quota: Map<string, number>,
  input: AssignmentInput,
): Map<string, number[]> {
  const given = new Map<string, number[]>(members.map((m) => [m.memberId, []]));
  const rackAware = input.partitionRacks !== undefined && members.some((m) => m.rackId !== null);
  if (!rackAware) {
    let p = 0;
    for (const m of members)
      for (let i = 0; i < quota.get(m.memberId)!; i++) given.get(m.memberId)!.push(p++);
    return given;
  }
  const left: number[] = [];
  for (let p = 0; p < count; p++) {
    const racks = input.partitionRacks!(topic, p);
    const m = members.find(
      (x) =>
        x.rackId !== null &&
        racks.includes(x.rackId) &&
        given.get(x.memberId)!.length < quota.get(x.memberId)!,
    );
    if (m) given.get(m.memberId)!.push(p);
    else left.push(p);
  }
  for (const p of left) {
    const m = members.find((x) => given.get(x.memberId)!.length < quota.get(x.memberId)!)!;
    given.get(m.memberId)!.push(p);
  }
  return given;
}
