import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FETCH_SESSION_ID_NOT_FOUND,
  type FetchPartitionParams,
  FetchSession,
  INVALID_FETCH_SESSION_EPOCH,
  nextEpoch,
} from '../../../src/consumer/fetch-session.js';

const p = (partition: number, fetchOffset: number, topic = 't'): FetchPartitionParams => ({
  topic,
  partition,
  fetchOffset,
  currentLeaderEpoch: 0,
  logStartOffset: -1,
  partitionMaxBytes: 1024,
});

describe('FetchSession', () => {
  it('starts with a full fetch that creates a session', () => {
    const s = new FetchSession();
    const r = s.build([p(0, 0), p(1, 0)]);
    assert.equal(r.full, true);
    assert.equal(r.sessionId, 0);
    assert.equal(r.sessionEpoch, 0);
    assert.equal(r.partitions.length, 2);
    assert.equal(s.handleResponse(r, 0, 99), true);
    assert.equal(s.sessionId, 99);
    assert.equal(s.epoch, 1);
  });

  it('sends only changed partitions incrementally, and forgets removed ones', () => {
    const s = new FetchSession();
    s.handleResponse(s.build([p(0, 0), p(1, 0), p(2, 0)]), 0, 7);
    const r = s.build([p(0, 5), p(1, 0), p(3, 0)]);
    assert.equal(r.full, false);
    assert.equal(r.sessionId, 7);
    assert.equal(r.sessionEpoch, 1);
    assert.deepEqual(
      r.partitions.map((x) => x.partition),
      [0, 3],
    );
    assert.deepEqual(r.forgotten, [{ topic: 't', partition: 2 }]);
    s.handleResponse(r, 0, 7);
    assert.equal(s.epoch, 2);
    const r2 = s.build([p(0, 5), p(1, 0), p(3, 0)]);
    assert.deepEqual(r2.partitions, []);
    assert.deepEqual(r2.forgotten, []);
  });

  it('keeps its state when a request fails without a response', () => {
    const s = new FetchSession();
    s.handleResponse(s.build([p(0, 0)]), 0, 7);
    s.build([p(0, 10)]); // never answered
    const r = s.build([p(0, 10)]);
    assert.equal(r.sessionEpoch, 1);
    assert.equal(r.partitions.length, 1);
  });

  for (const code of [FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH]) {
    it(`falls back to a full fetch on error ${code}`, () => {
      const s = new FetchSession();
      s.handleResponse(s.build([p(0, 0), p(1, 0)]), 0, 7);
      const r = s.build([p(0, 3), p(1, 0)]);
      assert.equal(s.handleResponse(r, code, 0), false);
      const full = s.build([p(0, 3), p(1, 0)]);
      assert.equal(full.full, true);
      assert.equal(full.sessionId, 0);
      assert.equal(full.sessionEpoch, 0);
      assert.equal(full.partitions.length, 2);
    });
  }

  it('keeps sending full fetches when the broker declines a session', () => {
    const s = new FetchSession();
    s.handleResponse(s.build([p(0, 0)]), 0, 0);
    assert.equal(s.build([p(0, 1)]).full, true);
  });

  it('is always full and sessionless when disabled', () => {
    const s = new FetchSession(false);
    const r = s.build([p(0, 0)]);
    assert.equal(r.sessionEpoch, -1);
    s.handleResponse(r, 0, 0);
    assert.equal(s.build([p(0, 0)]).full, true);
  });

  it('wraps the epoch to 1', () => {
    assert.equal(nextEpoch(0x7fffffff), 1);
    assert.equal(nextEpoch(5), 6);
  });
});
