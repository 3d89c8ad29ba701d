import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AckType, ackTypeCode, PartitionAcks, toAckBatches } from '../../../src/share/ack.js';
import {
  KafkaJSShareAlreadyAcknowledgedError,
  KafkaJSShareLockExpiredError,
} from '../../../src/share/errors.js';

const ranges = (b: ReturnType<typeof toAckBatches>) =>
  b.map((x) => [Number(x.firstOffset), Number(x.lastOffset), ...x.acknowledgeTypes]);

describe('toAckBatches', () => {
  it('merges consecutive offsets with the same type into one range', () => {
    assert.deepEqual(
      ranges(
        toAckBatches([
          [5, 1],
          [3, 1],
          [4, 1],
          [6, 2],
          [7, 2],
          [9, 2],
          [10, 0],
        ]),
      ),
      [
        [3, 5, 1],
        [6, 7, 2],
        [9, 9, 2],
        [10, 10, 0],
      ],
    );
  });

  it('is empty for no acknowledgements and keeps the last type given for an offset', () => {
    assert.deepEqual(toAckBatches([]), []);
    assert.deepEqual(
      ranges(
        toAckBatches([
          [1, 1],
          [1, 3],
        ]),
      ),
      [[1, 1, 3]],
    );
  });

  it('maps the public names to protocol codes and refuses others', () => {
    assert.equal(ackTypeCode('accept'), AckType.ACCEPT);
    assert.equal(ackTypeCode('release'), 2);
    assert.equal(ackTypeCode('reject'), 3);
    assert.equal(ackTypeCode('renew'), 4);
    assert.equal(ackTypeCode('toString' as never), undefined);
  });
});

describe('PartitionAcks', () => {
  it('drains acknowledgements once, as ranges, with gaps', () => {
    const acks = new PartitionAcks('t', 0);
    for (let o = 0; o < 4; o++) acks.acquire(o, 10_000, 1);
    acks.gap(4, 10_000);
    acks.acknowledge(0, AckType.ACCEPT, 0);
    acks.acknowledge(1, AckType.ACCEPT, 0);
    acks.acknowledge(2, AckType.REJECT, 0);
    assert.equal(acks.pendingCount, 4);
    assert.equal(acks.heldCount, 1);
    const drained = acks.drain(1);
    assert.deepEqual(ranges(drained.batches), [
      [0, 1, 1],
      [2, 2, 3],
      [4, 4, 0],
    ]);
    assert.deepEqual(drained.offsets, [0, 1, 2, 4]);
    assert.equal(acks.pendingCount, 0);
    assert.deepEqual(acks.drain(2).batches, []);
    assert.ok(acks.isHeld(3));
  });

  it('refuses a second acknowledgement, and one for a record it does not hold', () => {
    const acks = new PartitionAcks('t', 1);
    acks.acquire(7, 10_000, 1);
    acks.acknowledge(7, AckType.ACCEPT, 0);
    assert.throws(() => acks.acknowledge(7, AckType.RELEASE, 0), KafkaJSShareAlreadyAcknowledgedError);
    assert.throws(() => acks.acknowledge(8, AckType.ACCEPT, 0), KafkaJSShareAlreadyAcknowledgedError);
    acks.drain(0);
    assert.throws(() => acks.acknowledge(7, AckType.ACCEPT, 0), KafkaJSShareAlreadyAcknowledgedError);
  });

  it('never sends an acknowledgement after the lock expired', () => {
    const acks = new PartitionAcks('t', 0);
    acks.acquire(0, 100, 1);
    acks.acquire(1, 100, 1);
    assert.throws(() => acks.acknowledge(0, AckType.ACCEPT, 100), KafkaJSShareLockExpiredError);
    assert.equal(acks.isHeld(0), false, 'an expired record is forgotten');
    acks.acknowledge(1, AckType.ACCEPT, 99); // in time...
    const drained = acks.drain(150); // ...but not sent before the lock ran out
    assert.deepEqual(drained.batches, []);
    assert.deepEqual(drained.expired, [1]);
  });

  it('renewals stay held, go out only when asked, and extend the lock', () => {
    const acks = new PartitionAcks('t', 0);
    acks.acquire(0, 100, 1);
    acks.acknowledge(0, AckType.RENEW, 50);
    assert.equal(acks.renewCount, 1);
    assert.deepEqual(acks.drain(60).batches, [], 'a fetch does not carry renewals');
    const drained = acks.drain(60, { renew: true });
    assert.deepEqual(ranges(drained.batches), [[0, 0, 4]]);
    assert.ok(acks.isHeld(0));
    acks.renewed([0], 500);
    assert.equal(acks.deadlineOf(0), 500);
    acks.acknowledge(0, AckType.ACCEPT, 400);
    assert.deepEqual(ranges(acks.drain(450).batches), [[0, 0, 1]]);
  });

  it('a redelivery re-acquires an offset; expire() and clear() forget held records', () => {
    const acks = new PartitionAcks('t', 0);
    acks.acquire(0, 100, 1);
    acks.acquire(1, 1000, 1);
    assert.deepEqual(acks.expire(200), [0]);
    acks.acquire(0, 2000, 2);
    assert.ok(acks.isHeld(0));
    assert.deepEqual(acks.clear().sort(), [0, 1]);
    assert.equal(acks.heldCount, 0);
  });
});
