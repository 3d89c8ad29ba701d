import {
  type AssignmentInput,
  compareMembers,
  emptyAssignment,
  type GroupAssignment,
  toTopicPartitions,
} from './types.js';

/**
 * Java's RoundRobinAssignor: every partition of every subscribed topic, sorted by topic then
 * partition, dealt in turn to the members (in a fixed order), skipping members not subscribed
 * to the partition's topic.
 */
export function roundRobinAssign(input: AssignmentInput): GroupAssignment {
  const members = [...input.members].sort(compareMembers);
  const subscribed = members.map((m) => new Set(m.topics));
  const topics = new Set<string>();
  for (const m of members) for (const t of m.topics) topics.add(t);
  const pairs: Array<Array<[string, number]>> = members.map(() => []);
  let next = 0;
  for (const topic of [...topics].sort()) {
    const count = input.partitionsPerTopic.get(topic) ?? 0;
    for (let p = 0; p < count; p++) {
      while (!subscribed[next % members.length]!.has(topic)) next++;
      pairs[next % members.length]!.push([topic, p]);
      next++;
    }
  }
  const out = emptyAssignment(input.members);
  for (const [i, m] of members.entries()) out.set(m.memberId, toTopicPartitions(pairs[i]!));
  return out;
}
