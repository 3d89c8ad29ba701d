import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchBuffers } from '../../../src/producer/batch-buffers.js';

describe('BatchBuffers', () => {
  it('hands a released batch buffer out again, and never memory it did not give', () => {
    const pool = new BatchBuffers(1024, 2);
    const first = pool.allocate(100);
    assert.equal(first.length, 100);
    pool.release(first);
    const second = pool.allocate(500);
    assert.equal(second.length, 500);
    assert.equal(second.buffer, first.buffer, 'the released memory is reused');
    const third = pool.allocate(500);
    assert.notEqual(third.buffer, second.buffer, 'memory in use is not handed out twice');

    const foreign = Buffer.allocUnsafe(5000);
    pool.release(foreign);
    const large = pool.allocate(2000);
    assert.equal(large.length, 2000, 'a batch over the capacity gets memory of its own');
    pool.release(large);
    assert.notEqual(pool.allocate(10).buffer, foreign.buffer);
  });

  it('a buffer released twice is handed out once', () => {
    const pool = new BatchBuffers(64);
    const a = pool.allocate(10);
    pool.release(a);
    pool.release(a);
    assert.notEqual(pool.allocate(10).buffer, pool.allocate(10).buffer);
  });
});
