import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetTracker, parseOffset } from '../../../src/consumer/offsets.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';

describe('OffsetTracker', () => {
  it('commits resolved offset + 1, only what changed', () => {
    const t = new OffsetTracker({ autoCommit: true, autoCommitInterval: null, autoCommitThreshold: null }, 0);
    t.resolveOffset('t', 0, 4);
    t.resolveOffset('t', 0, 2); // going backwards is ignored
    t.resolveOffset('t', 1, 9);
    assert.deepEqual(
      t.uncommitted().map((o) => [o.partition, o.offset]),
      [
        [0, 5],
        [1, 10],
      ],
    );
    t.markCommitted(t.uncommitted(), 1);
    assert.deepEqual(t.uncommitted(), []);
    assert.equal(t.committedOffset('t', 1), 10);
  });

  it('auto-commits after every batch when neither interval nor threshold is set', () => {
    const t = new OffsetTracker({ autoCommit: true, autoCommitInterval: null, autoCommitThreshold: null }, 0);
    assert.equal(t.shouldAutoCommit(0), false); // nothing to commit
    t.resolveOffset('t', 0, 0);
    assert.equal(t.shouldAutoCommit(0), true);
  });

  it('honours the interval and the threshold', () => {
    const t = new OffsetTracker({ autoCommit: true, autoCommitInterval: 5000, autoCommitThreshold: 3 }, 1000);
    t.resolveOffset('t', 0, 0);
    t.resolveOffset('t', 0, 1);
    assert.equal(t.shouldAutoCommit(2000), false);
    t.resolveOffset('t', 0, 2);
    assert.equal(t.shouldAutoCommit(2000), true);
    t.markCommitted(t.uncommitted(), 2000);
    t.resolveOffset('t', 0, 3);
    assert.equal(t.shouldAutoCommit(6999), false);
    assert.equal(t.shouldAutoCommit(7000), true);
  });

  it('never auto-commits when autoCommit is off', () => {
    const t = new OffsetTracker({ autoCommit: false, autoCommitInterval: 1, autoCommitThreshold: 1 }, 0);
    t.resolveOffset('t', 0, 0);
    assert.equal(t.shouldAutoCommit(100), false);
  });

  it('forgets revoked partitions', () => {
    const t = new OffsetTracker({ autoCommit: true, autoCommitInterval: null, autoCommitThreshold: null });
    t.resolveOffset('t', 0, 1);
    t.resolveOffset('t', 1, 1);
    t.forget([{ topic: 't', partition: 0 }]);
    assert.deepEqual(
      t.uncommitted().map((o) => o.partition),
      [1],
    );
  });

  it('parses offsets given as strings, numbers or bigints', () => {
    assert.equal(parseOffset('42'), 42);
    assert.equal(parseOffset(7n), 7);
    assert.equal(parseOffset(-1), -1);
    assert.throws(() => parseOffset('4x'), /integer/);
    assert.throws(() => parseOffset(1.5), /integer/);
  });
});

describe('SubscriptionState', () => {
  it('replaces an assignment, reporting added and removed partitions', () => {
    const s = new SubscriptionState();
    s.add([
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
    ]);
    s.get('a', 0)!.seek(10);
    const diff = s.replace([
      { topic: 'a', partition: 0 },
      { topic: 'b', partition: 0 },
    ]);
    assert.deepEqual(diff.removed, [{ topic: 'a', partition: 1 }]);
    assert.deepEqual(diff.added, [{ topic: 'b', partition: 0 }]);
    assert.equal(s.get('a', 0)!.position, 10, 'kept partitions keep their position');
  });

  it('only offers positioned, unpaused partitions for fetching', () => {
    const s = new SubscriptionState();
    s.add([
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
      { topic: 'b', partition: 0 },
    ]);
    s.get('a', 0)!.seek(0);
    s.get('b', 0)!.seek(0);
    assert.deepEqual(
      s.fetchable().map((p) => `${p.topic}${p.partition}`),
      ['a0', 'b0'],
    );
    assert.deepEqual(
      s.needingPosition().map((p) => `${p.topic}${p.partition}`),
      ['a1'],
    );
    s.pause([{ topic: 'b' }]);
    assert.deepEqual(
      s.fetchable().map((p) => `${p.topic}${p.partition}`),
      ['a0'],
    );
    assert.deepEqual(s.paused(), [{ topic: 'b', partitions: [0] }]);
  });

  it('pauses whole topics including later assignments, and resumes single partitions', () => {
    const s = new SubscriptionState();
    s.pause([{ topic: 't' }]);
    s.add([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    assert.equal(s.isPaused('t', 1), true);
    s.resume([{ topic: 't', partitions: [1] }]);
    assert.equal(s.isPaused('t', 1), false);
    assert.equal(s.isPaused('t', 0), true);
    s.resume([{ topic: 't' }]);
    assert.equal(s.isPaused('t', 0), false);
  });

  it('bumps the partition epoch on seek and reset so stale fetches can be dropped', () => {
    const s = new SubscriptionState();
    const [p] = s.add([{ topic: 't', partition: 0 }]);
    const e0 = p!.epoch;
    p!.seek(5);
    p!.requestReset('earliest');
    assert.equal(p!.epoch, e0 + 2);
    assert.equal(p!.position, null);
    assert.equal(p!.pendingReset, 'earliest');
  });
});

describe('KafkaJS payloads', () => {
  it('turns repeated header keys into arrays and offsets into strings', async () => {
    const { toKafkaMessage, toBatch } = await import('../../../src/consumer/payloads.js');
    const record = {
      offset: 41,
      offsetDelta: 0,
      timestamp: 1700000000000,
      attributes: 0,
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: [
        { key: 'a', value: Buffer.from('1') },
        { key: 'b', value: Buffer.from('2') },
        { key: 'a', value: Buffer.from('3') },
      ],
    };
    const m = toKafkaMessage(record);
    assert.equal(m.offset, '41');
    assert.equal(m.timestamp, '1700000000000');
    assert.deepEqual(m.headers, { a: [Buffer.from('1'), Buffer.from('3')], b: Buffer.from('2') });
    const batch = toBatch('t', 0, 50, [record, { ...record, offset: 42, headers: [] }]);
    assert.equal(batch.firstOffset(), '41');
    assert.equal(batch.lastOffset(), '42');
    assert.equal(batch.offsetLag(), '7');
    assert.equal(batch.offsetLagLow(), '8');
    assert.equal(batch.isEmpty(), false);
  });
});
