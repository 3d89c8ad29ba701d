import type { TopicPartitions } from '../../group/consumer-protocol.js';
import { Reader } from '../../protocol/codec/reader.js';
import { Writer } from '../../protocol/codec/writer.js';
import {
  type AssignmentInput,
  compareMembers,
  emptyAssignment,
  type GroupAssignment,
  type MemberSubscriptionInfo,
  toTopicPartitions,
} from './types.js';

/**
 * A sticky, balanced assignment (the behaviour of Java's StickyAssignor, our own algorithm):
 *
 * 1. Every member keeps what it owned, as long as it still subscribes to the topic, the
 *    partition still exists and no member claims it from a newer generation.
 * 2. Ownership beyond a fair share is given up (when every member subscribes to the same
 *    topics the share is exact: floor or ceil of partitions / members).
 * 3. Free partitions go, one at a time, to the eligible member holding the fewest.
 * 4. While some member could take a partition from one holding at least two more, it does.
 *
 * The result is balanced in Java's sense (no partition can move to narrow the spread) and moves
 * as few partitions as that allows. Deterministic: members and partitions are always visited
 * in sorted order.
 */
export function stickyAssign(input: AssignmentInput): GroupAssignment {
  return toGroupAssignment(input, computeSticky(input).assignment);
}

/**
 * KIP-429's cooperative-sticky: the sticky assignment, minus every partition that would move
 * from one member to another in this generation. The previous owner sees it gone from its
 * assignment and revokes it, then rejoins; the next generation hands it to its new owner.
 */
export function cooperativeStickyAssign(input: AssignmentInput): GroupAssignment {
  const { assignment, owner } = computeSticky(input);
  for (const [memberId, keys] of assignment) {
    const kept = keys.filter((k) => {
      const prev = owner.get(k);
      return prev === undefined || prev === memberId;
    });
    assignment.set(memberId, kept);
  }
  return toGroupAssignment(input, assignment);
}

const SEP = '\u0000';
const keyOf = (topic: string, partition: number) => `${topic}${SEP}${partition}`;
function parseKey(k: string): [string, number] {
  const i = k.lastIndexOf(SEP);
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

function toGroupAssignment(input: AssignmentInput, assignment: Map<string, string[]>): GroupAssignment {
  const out = emptyAssignment(input.members);
  for (const [memberId, keys] of assignment) out.set(memberId, toTopicPartitions(keys.map(parseKey)));
  return out;
}

interface StickyResult {
  /** memberId → partition keys. */
  assignment: Map<string, string[]>;
  /** partition key → the member that owned it before (after resolving conflicting claims). */
  owner: Map<string, string>;
}

function computeSticky(input: AssignmentInput): StickyResult {
  const members = [...input.members].sort(compareMembers);
  const subs = new Map<string, Set<string>>(members.map((m) => [m.memberId, new Set(m.topics)]));
  const eligible = new Map<string, string[]>(); // partition key → member ids (sorted)
  const all: string[] = [];
  const topics = new Set<string>();
  for (const m of members) for (const t of m.topics) topics.add(t);
  for (const topic of [...topics].sort()) {
    const count = input.partitionsPerTopic.get(topic) ?? 0;
    const who = members.filter((m) => subs.get(m.memberId)!.has(topic)).map((m) => m.memberId);
    for (let p = 0; p < count; p++) {
      const k = keyOf(topic, p);
      all.push(k);
      eligible.set(k, who);
    }
  }

  // 1. Resolve ownership claims: the newest generation wins, ties go to the first member.
  const owner = new Map<string, string>();
  const ownerGen = new Map<string, number>();
  for (const m of members) {
    for (const tp of m.ownedPartitions) {
      for (const p of tp.partitions) {
        const k = keyOf(tp.topic, p);
        if (!eligible.has(k)) continue;
        const g = ownerGen.get(k);
        if (g === undefined || m.generationId > g) {
          owner.set(k, m.memberId);
          ownerGen.set(k, m.generationId);
        }
      }
    }
  }

  const assignment = new Map<string, string[]>(members.map((m) => [m.memberId, []]));
  const previously = new Map<string, Set<string>>(members.map((m) => [m.memberId, new Set()]));
  for (const k of all) {
    const o = owner.get(k);
    if (o !== undefined && subs.get(o)!.has(parseKey(k)[0])) {
      assignment.get(o)!.push(k);
      previously.get(o)!.add(k);
    }
  }

  // 2. Give up ownership beyond a fair share.
  const n = members.length;
  if (n === 0) return { assignment, owner };
  const identical = members.every((m) => sameTopics(subs.get(m.memberId)!, subs.get(members[0]!.memberId)!));
  const total = all.length;
  const minQuota = Math.floor(total / n);
  let maxSlots = total % n; // members allowed minQuota + 1
  const byOwnedDesc = [...members].sort(
    (a, b) => assignment.get(b.memberId)!.length - assignment.get(a.memberId)!.length || compareMembers(a, b),
  );
  for (const m of byOwnedDesc) {
    const list = assignment.get(m.memberId)!;
    let cap: number;
    if (identical) {
      cap = minQuota;
      if (list.length > minQuota && maxSlots > 0) {
        cap++;
        maxSlots--;
      }
    } else {
      cap = Math.ceil(total / n);
    }
    if (list.length > cap) list.length = cap;
  }
  const taken = new Set<string>();
  for (const list of assignment.values()) for (const k of list) taken.add(k);

  // 3. Free partitions to the least loaded eligible member; scarce partitions first.
  const free = all.filter((k) => !taken.has(k));
  if (!identical) free.sort((a, b) => eligible.get(a)!.length - eligible.get(b)!.length);
  for (const k of free) {
    const b = leastLoaded(eligible.get(k)!, assignment);
    if (b !== undefined) assignment.get(b)!.push(k);
  }

  // 4. Balance: move from a member to an eligible one holding at least two fewer.
  if (!identical) balance(members, assignment, eligible, previously);
  return { assignment, owner };
}

function leastLoaded(candidates: readonly string[], assignment: Map<string, string[]>): string | undefined {
  let best: string | undefined;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const count = assignment.get(c)!.length;
    if (count < bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

function balance(
  members: MemberSubscriptionInfo[],
  assignment: Map<string, string[]>,
  eligible: Map<string, string[]>,
  previously: Map<string, Set<string>>,
): void {
  // Each move lowers the sum of squared counts by at least 2, so this ends; the bound is a guard.
  let budget = 1 + [...assignment.values()].reduce((s, l) => s + l.length, 0) ** 2;
  let moved = true;
  while (moved && budget-- > 0) {
    moved = false;
    const order = [...members].sort(
      (a, b) =>
        assignment.get(b.memberId)!.length - assignment.get(a.memberId)!.length || compareMembers(a, b),
    );
    for (const a of order) {
      const list = assignment.get(a.memberId)!;
      // Prefer moving partitions this member did not own before.
      const candidates = [...list].sort(
        (x, y) => Number(previously.get(a.memberId)!.has(x)) - Number(previously.get(a.memberId)!.has(y)),
      );
      for (const k of candidates) {
        const b = leastLoaded(eligible.get(k)!, assignment);
        if (b === undefined || b === a.memberId) continue;
        if (assignment.get(b)!.length + 1 < list.length) {
          list.splice(list.indexOf(k), 1);
          assignment.get(b)!.push(k);
          moved = true;
          break;
        }
      }
      if (moved) break;
    }
  }
}

function sameTopics(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const t of a) if (!b.has(t)) return false;
  return true;
}

/**
 * Java StickyAssignor's userData: the member's previous assignment and generation
 * (`[topic, [partition]]`, int32 generation; the v0 layout has no generation). Java leaders
 * running the eager `sticky` protocol read ownership from it.
 */
export function encodeStickyUserData(previous: readonly TopicPartitions[], generationId: number): Buffer {
  const w = new Writer(64);
  w.arrayLength(previous.length);
  for (const tp of previous) {
    w.string(tp.topic);
    w.arrayLength(tp.partitions.length);
    for (const p of tp.partitions) w.int32(p);
  }
  w.int32(generationId);
  return Buffer.from(w.finish());
}

export function decodeStickyUserData(
  buf: Buffer,
): { previous: TopicPartitions[]; generationId: number } | null {
  try {
    const r = new Reader(buf);
    const n = r.arrayLength(6);
    const previous: TopicPartitions[] = [];
    for (let i = 0; i < n; i++) {
      const topic = r.string();
      const m = r.arrayLength(4);
      const partitions: number[] = [];
      for (let j = 0; j < m; j++) partitions.push(r.int32());
      previous.push({ topic, partitions });
    }
    const generationId = r.remaining >= 4 ? r.int32() : -1;
    return { previous, generationId };
  } catch {
    return null;
  }
}
