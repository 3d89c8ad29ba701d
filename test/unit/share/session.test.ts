import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FINAL_EPOCH, nextEpoch, ShareSessionState } from '../../../src/share/session.js';

const p = (topicId: string, partition: number) => ({ topicId, partition });

describe('ShareSessionState', () => {
  it('opens with epoch 0 and every partition, then sends only changes with increasing epochs', () => {
    const s = new ShareSessionState();
    assert.equal(s.isOpen, false);
    const first = s.plan([p('a', 0), p('a', 1)]);
    assert.equal(first.epoch, 0);
    assert.deepEqual(first.add, [p('a', 0), p('a', 1)]);
    s.succeeded();
    assert.equal(s.epoch, 1);
    assert.ok(s.isOpen);

    const same = s.plan([p('a', 0), p('a', 1)]);
    assert.deepEqual([same.epoch, same.add, same.forget], [1, [], []]);
    s.succeeded();

    const changed = s.plan([p('a', 1), p('b', 0)]);
    assert.deepEqual([changed.epoch, changed.add, changed.forget], [2, [p('b', 0)], [p('a', 0)]]);
    s.succeeded();
    assert.deepEqual(s.partitions, [p('a', 1), p('b', 0)]);
    assert.equal(s.epoch, 3);
  });

  it('allows one request at a time', () => {
    const s = new ShareSessionState();
    s.plan([p('a', 0)]);
    assert.throws(() => s.plan([p('a', 0)]));
    assert.throws(() => s.planAcknowledge());
  });

  it('starts over after a session error or an unknown outcome; keeps the epoch after other errors', () => {
    const s = new ShareSessionState();
    s.plan([p('a', 0)]);
    s.succeeded();
    s.plan([p('a', 0)]);
    s.failed(133); // SHARE_SESSION_LIMIT_REACHED: the broker did not move the epoch
    assert.equal(s.epoch, 1);
    s.plan([p('a', 0)]);
    s.failed(123); // INVALID_SHARE_SESSION_EPOCH
    assert.equal(s.epoch, 0);
    assert.deepEqual(s.plan([p('a', 0)]).add, [p('a', 0)]);
    s.succeeded();
    s.plan([]);
    s.failed(); // connection lost
    assert.equal(s.isOpen, false);
  });

  it('acknowledges at the current epoch and closes with -1', () => {
    const s = new ShareSessionState();
    s.plan([p('a', 0)]);
    s.succeeded();
    assert.equal(s.planAcknowledge().epoch, 1);
    s.succeeded();
    assert.equal(s.epoch, 2);
    assert.equal(s.planAcknowledge(true).epoch, FINAL_EPOCH);
    s.succeeded();
    assert.equal(s.isOpen, false);
    assert.deepEqual(s.partitions, []);
  });

  it('wraps the epoch from 2^31-1 to 1, never back to 0', () => {
    assert.equal(nextEpoch(0x7fffffff), 1);
    assert.equal(nextEpoch(5), 6);
  });
});
