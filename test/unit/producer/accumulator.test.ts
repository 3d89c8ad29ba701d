import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordAccumulator } from '../../../src/producer/accumulator.js';
import type { BatchSettings } from '../../../src/producer/batch.js';
import { BufferMemory } from '../../../src/producer/buffer-memory.js';
import { DeliveryReport } from '../../../src/producer/delivery.js';
import { KafkaJSBufferExhaustedError } from '../../../src/producer/errors.js';

const SETTINGS: BatchSettings = { compression: 0, acks: -1, timeout: 30000 };
const leaderOf = (_t: string, p: number) => (p % 2 === 0 ? 1 : 2);

function record(bytes: number, timestamp = 1000) {
  return { key: null, value: Buffer.alloc(bytes), timestamp };
}

function accumulator(batchSize = 16384, lingerMs = 5) {
  return new RecordAccumulator({ batchSize, lingerMs, maxInFlightPerPartition: 5 });
}

describe('RecordAccumulator', () => {
  it('coalesces many concurrent appends to one partition into few batches', () => {
    const acc = accumulator(16384);
    const reports: DeliveryReport[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = new DeliveryReport();
      reports.push(r);
      acc.append('t', 0, record(100), r, SETTINGS, 0, 0);
      r.seal();
    }
    const batches = acc.partitions[0]!.batches;
    // ~110 bytes per record: 16384-byte batches hold ~148 records.
    assert.ok(batches.length >= 6 && batches.length <= 8, `got ${batches.length} batches`);
    assert.equal(
      batches.reduce((n, b) => n + b.recordCount, 0),
      1000,
    );
    for (const b of batches.slice(0, -1)) assert.ok(b.closed && b.sizeBytes <= 16384);
  });

  it("keeps each partition's queued records and bytes equal to its queued batches through append, drain, retry, split and expiry", () => {
    const acc = accumulator(1000, 0);
    const walked = () =>
      acc.partitions.map((q) => ({
        partition: q.partition,
        queuedRecords: q.batches.reduce((n, b) => n + b.recordCount, 0),
        queuedBytes: q.batches.reduce((n, b) => n + b.sizeBytes, 0),
      }));
    const reported = () =>
      acc.partitionMetrics().map(({ partition, queuedRecords, queuedBytes }) => ({
        partition,
        queuedRecords,
        queuedBytes,
      }));
    for (let p = 0; p < 3; p++)
      for (let i = 0; i < 25; i++) acc.append('t', p, record(100), new DeliveryReport(), SETTINGS, 0, 0);
    assert.deepEqual(reported(), walked());
    assert.equal(reported()[0]!.queuedRecords, 25);
    const drained = acc.drain(1, leaderOf, 1 << 20, 0);
    assert.deepEqual(reported(), walked(), 'after a drain');
    acc.requeue(drained[0]!, 0);
    assert.deepEqual(reported(), walked(), 'after a retry');
    const [again] = acc.drain(1, leaderOf, 1 << 20, 1);
    acc.replaceWithSplit(again!, again!.split(400), 1);
    assert.deepEqual(reported(), walked(), 'after a split');
    acc.takeExpired(10, 5);
    assert.deepEqual(reported(), walked(), 'after expiry');
    assert.equal(reported()[0]!.queuedRecords, 0);
    acc.append('t', 1, record(10), new DeliveryReport(), SETTINGS, 0, 20);
    acc.takeAllQueued();
    assert.deepEqual(
      reported().map((m) => [m.queuedRecords, m.queuedBytes]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
  });

  it('holds a batch for lingerMs, then makes it ready (fake clock)', () => {
    const acc = accumulator(16384, 5);
    acc.append('t', 0, record(10), new DeliveryReport(), SETTINGS, 0, 100);
    let check = acc.ready(leaderOf, 102);
    assert.equal(check.readyNodes.size, 0);
    assert.equal(check.nextDelayMs, 3);
    check = acc.ready(leaderOf, 105);
    assert.deepEqual([...check.readyNodes], [1]);
    assert.equal(acc.drain(2, leaderOf, 1 << 20, 105).length, 0);
    const drained = acc.drain(1, leaderOf, 1 << 20, 105);
    assert.equal(drained.length, 1);
    assert.equal(acc.partitions[0]!.inFlight, 1);
  });

  it('a full batch is ready before lingerMs', () => {
    const acc = accumulator(1000, 10_000);
    for (let i = 0; i < 20; i++) acc.append('t', 1, record(100), new DeliveryReport(), SETTINGS, 0, 0);
    assert.deepEqual([...acc.ready(leaderOf, 0).readyNodes], [2]);
  });

  it('flush makes lingering batches ready at once', () => {
    const acc = accumulator(16384, 10_000);
    acc.append('t', 0, record(10), new DeliveryReport(), SETTINGS, 0, 0);
    assert.equal(acc.ready(leaderOf, 1).readyNodes.size, 0);
    const end = acc.beginFlush();
    assert.equal(acc.ready(leaderOf, 1).readyNodes.size, 1);
    end();
  });

  it('drains one batch per partition per request, within maxBytes, for the asked broker only', () => {
    const acc = accumulator(1000, 0);
    for (let p = 0; p < 6; p++) {
      for (let i = 0; i < 30; i++) acc.append('t', p, record(100), new DeliveryReport(), SETTINGS, 0, 0);
    }
    const first = acc.drain(1, leaderOf, 1 << 20, 0);
    assert.deepEqual(first.map((b) => b.partition).sort(), [0, 2, 4]);
    const small = acc.drain(2, leaderOf, 1500, 0);
    assert.equal(small.length, 1, 'the second batch would pass maxBytes');
  });

  it('keeps at most maxInFlightPerPartition batches of a partition in flight, one while retrying', () => {
    const acc = new RecordAccumulator({ batchSize: 200, lingerMs: 0, maxInFlightPerPartition: 2 });
    for (let i = 0; i < 10; i++) acc.append('t', 0, record(150), new DeliveryReport(), SETTINGS, 0, 0);
    const a = acc.drain(1, leaderOf, 1 << 20, 0);
    const b = acc.drain(1, leaderOf, 1 << 20, 0);
    assert.equal(a.length + b.length, 2);
    assert.equal(acc.drain(1, leaderOf, 1 << 20, 0).length, 0);
    // The first fails and is put back: nothing more goes until the other in-flight batch answers.
    const failed = a[0]!;
    failed.attempts = 1;
    failed.baseSequence = 0;
    acc.inFlightDone(failed);
    acc.requeue(failed, 50);
    assert.equal(acc.drain(1, leaderOf, 1 << 20, 100).length, 0);
    acc.inFlightDone(b[0]!);
    const retry = acc.drain(1, leaderOf, 1 << 20, 100);
    assert.deepEqual(retry, [failed]);
    assert.equal(acc.drain(1, leaderOf, 1 << 20, 100).length, 0, 'one at a time while retrying');
  });

  it('requeues retried batches in sequence order', () => {
    const acc = accumulator(200, 0);
    for (let i = 0; i < 4; i++) acc.append('t', 0, record(150), new DeliveryReport(), SETTINGS, 0, 0);
    const q = acc.partitions[0]!;
    const drained = [];
    for (let i = 0; i < 3; i++) drained.push(...acc.drain(1, leaderOf, 1 << 20, 0));
    drained.forEach((b, i) => {
      b.baseSequence = i;
      b.attempts = 1;
    });
    acc.requeue(drained[2]!, 0);
    acc.requeue(drained[0]!, 0);
    acc.requeue(drained[1]!, 0);
    assert.deepEqual(
      q.batches.map((b) => b.baseSequence),
      [0, 1, 2, -1],
    );
  });

  it('separates batches with different compression', () => {
    const acc = accumulator();
    acc.append('t', 0, record(10), new DeliveryReport(), SETTINGS, 0, 0);
    acc.append('t', 0, record(10), new DeliveryReport(), { ...SETTINGS, compression: 1 }, 0, 0);
    assert.equal(acc.partitions[0]!.batches.length, 2);
  });

  it('reports the offset of each send’s first record in a shared batch', async () => {
    const acc = accumulator();
    const a = new DeliveryReport();
    const b = new DeliveryReport();
    acc.append('t', 0, record(10), a, SETTINGS, 0, 0);
    acc.append('t', 0, record(10), a, SETTINGS, 0, 0);
    acc.append('t', 0, record(10), b, SETTINGS, 0, 0);
    a.seal();
    b.seal();
    acc.partitions[0]!.batches[0]!.succeed(40n, -1n, 0n);
    assert.equal((await a.promise)[0]!.baseOffset, '40');
    assert.equal((await b.promise)[0]!.baseOffset, '42');
  });
});

describe('BufferMemory', () => {
  it('makes reservations wait until memory is released, in order', async () => {
    const mem = new BufferMemory(1000, 5000);
    assert.ok(mem.tryReserve(900));
    const order: number[] = [];
    const first = mem.reserve(200).then(() => order.push(1));
    const second = mem.reserve(50).then(() => order.push(2));
    assert.equal(mem.tryReserve(10), false, 'no overtaking a waiter');
    mem.release(900);
    await Promise.all([first, second]);
    assert.deepEqual(order, [1, 2]);
    assert.equal(mem.usedBytes, 250);
  });

  it('fails with a typed error after maxBlockMs', async () => {
    const mem = new BufferMemory(100, 30);
    assert.ok(mem.tryReserve(100));
    await assert.rejects(mem.reserve(10), (e: unknown) => {
      assert.ok(e instanceof KafkaJSBufferExhaustedError);
      assert.match((e as Error).message, /maxBlockMs/);
      return true;
    });
    assert.equal(mem.waiting, 0);
  });
});
