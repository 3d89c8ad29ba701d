import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cooperativeStickyAssign,
  type GroupAssignment,
  type MemberSubscriptionInfo,
  PartitionAssigners,
  rangeAssign,
  roundRobinAssign,
  stickyAssign,
} from '../../../src/consumer/assignors/index.js';
import { AssignerProtocol, decodeAssignment } from '../../../src/group/consumer-protocol.js';
import { nullLogger } from '../../../src/logger.js';

function member(
  memberId: string,
  topics: string[],
  owned: Record<string, number[]> = {},
  gen = 1,
): MemberSubscriptionInfo {
  return {
    memberId,
    groupInstanceId: null,
    topics,
    ownedPartitions: Object.entries(owned).map(([topic, partitions]) => ({ topic, partitions })),
    generationId: gen,
    rackId: null,
  };
}

const flat = (a: GroupAssignment, id: string) =>
  (a.get(id) ?? []).flatMap((tp) => tp.partitions.map((p) => `${tp.topic}-${p}`));
const counts = (a: GroupAssignment) =>
  [...a.values()].map((l) => l.reduce((s, tp) => s + tp.partitions.length, 0));
const toOwned = (a: GroupAssignment, id: string): Record<string, number[]> =>
  Object.fromEntries((a.get(id) ?? []).map((tp) => [tp.topic, tp.partitions]));

function assertComplete(a: GroupAssignment, partitions: Map<string, number>) {
  const seen = new Set<string>();
  for (const [id] of a) {
    for (const k of flat(a, id)) {
      assert.ok(!seen.has(k), `${k} assigned twice`);
      seen.add(k);
    }
  }
  let total = 0;
  for (const n of partitions.values()) total += n;
  assert.equal(seen.size, total);
}

describe('range', () => {
  it('gives contiguous ranges per topic, extra partitions to the first members', () => {
    const a = rangeAssign({
      members: [member('b', ['t1', 't2']), member('a', ['t1', 't2'])],
      partitionsPerTopic: new Map([
        ['t1', 3],
        ['t2', 3],
      ]),
    });
    assert.deepEqual(flat(a, 'a'), ['t1-0', 't1-1', 't2-0', 't2-1']);
    assert.deepEqual(flat(a, 'b'), ['t1-2', 't2-2']);
  });

  it('only gives a topic to its subscribers and orders static members first', () => {
    const s = { ...member('z', ['t1']), groupInstanceId: 'i1' };
    const a = rangeAssign({
      members: [member('a', ['t1', 't2']), s],
      partitionsPerTopic: new Map([
        ['t1', 2],
        ['t2', 2],
      ]),
    });
    assert.deepEqual(flat(a, 'z'), ['t1-0']);
    assert.deepEqual(flat(a, 'a'), ['t1-1', 't2-0', 't2-1']);
  });

  it('prefers same-rack members when racks are known', () => {
    const a = rangeAssign({
      members: [
        { ...member('a', ['t']), rackId: 'r1' },
        { ...member('b', ['t']), rackId: 'r2' },
      ],
      partitionsPerTopic: new Map([['t', 4]]),
      partitionRacks: (_t, p) => [p % 2 === 0 ? 'r2' : 'r1'],
    });
    assert.deepEqual(flat(a, 'a'), ['t-1', 't-3']);
    assert.deepEqual(flat(a, 'b'), ['t-0', 't-2']);
  });
});

describe('roundrobin', () => {
  it('deals partitions across members in turn', () => {
    const a = roundRobinAssign({
      members: [member('a', ['t1', 't2']), member('b', ['t1', 't2'])],
      partitionsPerTopic: new Map([
        ['t1', 3],
        ['t2', 2],
      ]),
    });
    assert.deepEqual(flat(a, 'a'), ['t1-0', 't1-2', 't2-1']);
    assert.deepEqual(flat(a, 'b'), ['t1-1', 't2-0']);
  });

  it('skips members not subscribed to a topic', () => {
    const a = roundRobinAssign({
      members: [member('a', ['t1']), member('b', ['t1', 't2'])],
      partitionsPerTopic: new Map([
        ['t1', 2],
        ['t2', 2],
      ]),
    });
    assert.deepEqual(flat(a, 'a'), ['t1-0']);
    assert.deepEqual(flat(a, 'b'), ['t1-1', 't2-0', 't2-1']);
  });
});

describe('sticky', () => {
  const parts = new Map([
    ['t1', 6],
    ['t2', 6],
  ]);

  it('balances a fresh group', () => {
    const a = stickyAssign({
      members: ['a', 'b', 'c', 'd', 'e'].map((id) => member(id, ['t1', 't2'])),
      partitionsPerTopic: parts,
    });
    assertComplete(a, parts);
    const c = counts(a);
    assert.ok(Math.max(...c) - Math.min(...c) <= 1, `unbalanced: ${c}`);
  });

  it('keeps ownership when a member joins: only the new member gains, nothing else moves', () => {
    const g1 = stickyAssign({
      members: [member('a', ['t1', 't2']), member('b', ['t1', 't2'])],
      partitionsPerTopic: parts,
    });
    const g2 = stickyAssign({
      members: [
        member('a', ['t1', 't2'], toOwned(g1, 'a')),
        member('b', ['t1', 't2'], toOwned(g1, 'b')),
        member('c', ['t1', 't2']),
      ],
      partitionsPerTopic: parts,
    });
    assertComplete(g2, parts);
    assert.deepEqual(counts(g2), [4, 4, 4]);
    for (const id of ['a', 'b'])
      for (const k of flat(g2, id)) assert.ok(flat(g1, id).includes(k), `${k} moved to ${id}`);
  });

  it('keeps ownership when a member leaves: survivors keep everything they had', () => {
    const ids = ['a', 'b', 'c'];
    const g1 = stickyAssign({
      members: ids.map((id) => member(id, ['t1', 't2'])),
      partitionsPerTopic: parts,
    });
    const g2 = stickyAssign({
      members: ['a', 'c'].map((id) => member(id, ['t1', 't2'], toOwned(g1, id))),
      partitionsPerTopic: parts,
    });
    assertComplete(g2, parts);
    for (const id of ['a', 'c']) for (const k of flat(g1, id)) assert.ok(flat(g2, id).includes(k));
  });

  it('resolves conflicting claims in favour of the newer generation', () => {
    const a = stickyAssign({
      members: [member('a', ['t'], { t: [0, 1] }, 3), member('b', ['t'], { t: [1] }, 4)],
      partitionsPerTopic: new Map([['t', 2]]),
    });
    assert.deepEqual(flat(a, 'a'), ['t-0']);
    assert.deepEqual(flat(a, 'b'), ['t-1']);
  });

  it('balances members with different subscriptions', () => {
    const p = new Map([
      ['t1', 1],
      ['t2', 2],
      ['t3', 3],
    ]);
    const a = stickyAssign({
      members: [member('a', ['t1']), member('b', ['t1', 't2']), member('c', ['t1', 't2', 't3'])],
      partitionsPerTopic: p,
    });
    assertComplete(a, p);
    assert.deepEqual(counts(a), [1, 2, 3]);
  });

  it('moves from an overloaded member with mixed subscriptions', () => {
    const p = new Map([
      ['t1', 4],
      ['t2', 4],
    ]);
    const a = stickyAssign({
      members: [member('a', ['t1', 't2'], { t1: [0, 1, 2, 3], t2: [0, 1, 2, 3] }), member('b', ['t2'])],
      partitionsPerTopic: p,
    });
    assertComplete(a, p);
    assert.deepEqual(counts(a), [4, 4]);
    assert.deepEqual(flat(a, 'b').sort(), ['t2-0', 't2-1', 't2-2', 't2-3']);
  });

  it('is deterministic whatever the member order', () => {
    const ms = ['m3', 'm1', 'm2'].map((id) => member(id, ['t1', 't2']));
    const x = stickyAssign({ members: ms, partitionsPerTopic: parts });
    const y = stickyAssign({ members: [...ms].reverse(), partitionsPerTopic: parts });
    for (const id of ['m1', 'm2', 'm3']) assert.deepEqual(flat(x, id), flat(y, id));
  });

  it('handles many topics and members quickly and evenly', () => {
    const p = new Map<string, number>();
    for (let i = 0; i < 50; i++) p.set(`topic-${i}`, 12);
    const topics = [...p.keys()];
    const ms = Array.from({ length: 40 }, (_, i) => member(`m${String(i).padStart(2, '0')}`, topics));
    const t0 = Date.now();
    const g1 = stickyAssign({ members: ms, partitionsPerTopic: p });
    assertComplete(g1, p);
    assert.ok(Math.max(...counts(g1)) - Math.min(...counts(g1)) <= 1);
    const g2 = stickyAssign({
      members: ms.slice(1).map((m) => ({ ...m, ownedPartitions: g1.get(m.memberId)! })),
      partitionsPerTopic: p,
    });
    assertComplete(g2, p);
    assert.ok(Math.max(...counts(g2)) - Math.min(...counts(g2)) <= 1);
    assert.ok(Date.now() - t0 < 2000);
  });
});

describe('cooperative-sticky', () => {
  const parts = new Map([['t', 6]]);

  it('does not hand a partition to a new owner in the generation its old owner loses it', () => {
    const g1 = cooperativeStickyAssign({ members: [member('a', ['t'])], partitionsPerTopic: parts });
    assert.equal(flat(g1, 'a').length, 6);
    // b joins: a must give up 3, but b gets nothing yet.
    const g2 = cooperativeStickyAssign({
      members: [member('a', ['t'], toOwned(g1, 'a')), member('b', ['t'])],
      partitionsPerTopic: parts,
    });
    assert.equal(flat(g2, 'a').length, 3);
    assert.equal(flat(g2, 'b').length, 0);
    // a rejoins owning its 3: now b gets the revoked ones.
    const g3 = cooperativeStickyAssign({
      members: [member('a', ['t'], toOwned(g2, 'a'), 2), member('b', ['t'], {}, 2)],
      partitionsPerTopic: parts,
    });
    assertComplete(g3, parts);
    assert.deepEqual(flat(g3, 'a'), flat(g2, 'a'));
    assert.equal(flat(g3, 'b').length, 3);
  });

  it('assigns partitions of a departed member immediately', () => {
    const g = cooperativeStickyAssign({
      members: [member('a', ['t'], { t: [0, 1, 2] })],
      partitionsPerTopic: parts,
    });
    assert.equal(flat(g, 'a').length, 6);
  });
});

describe('PartitionAssigners (KafkaJS assigner API)', () => {
  const cluster = {
    findTopicPartitionMetadata: (topic: string) =>
      Array.from({ length: topic === 'big' ? 4 : 2 }, (_, i) => ({
        partitionId: i,
        leader: 1,
        replicas: [1],
      })),
  };

  it('exposes Java protocol names', () => {
    const names = Object.values(PartitionAssigners).map(
      (f) => f({ cluster, groupId: 'g', logger: nullLogger }).name,
    );
    assert.deepEqual(names, ['roundrobin', 'range', 'sticky', 'cooperative-sticky']);
  });

  it('assigns from KafkaJS-encoded member metadata', async () => {
    const assigner = PartitionAssigners.roundRobin({ cluster, groupId: 'g', logger: nullLogger });
    const md = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: ['big'] });
    const out = await assigner.assign({
      members: [
        { memberId: 'm1', memberMetadata: md },
        { memberId: 'm2', memberMetadata: assigner.protocol({ topics: ['big'] }).metadata },
      ],
      topics: ['big'],
    });
    assert.deepEqual(
      out.map((o) => AssignerProtocol.MemberAssignment.decode(o.memberAssignment)?.assignment),
      [{ big: [0, 2] }, { big: [1, 3] }],
    );
    assert.equal(decodeAssignment(out[0]!.memberAssignment).version, 0);
  });

  it('sticky reads Java StickyAssignor userData ownership', async () => {
    const assigner = PartitionAssigners.sticky({ cluster, groupId: 'g', logger: nullLogger });
    const m1 = assigner.protocol({
      topics: ['big'],
      ownedPartitions: [{ topic: 'big', partitions: [3, 2] }],
      generationId: 5,
    });
    const m2 = assigner.protocol({ topics: ['big'] });
    const out = await assigner.assign({
      members: [
        { memberId: 'a', memberMetadata: m1.metadata },
        { memberId: 'b', memberMetadata: m2.metadata },
      ],
      topics: ['big'],
    });
    assert.deepEqual(decodeAssignment(out[0]!.memberAssignment).assignedPartitions, [
      { topic: 'big', partitions: [2, 3] },
    ]);
  });
});
