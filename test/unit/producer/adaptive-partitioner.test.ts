import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordAccumulator } from '../../../src/producer/accumulator.js';
import { DeliveryReport } from '../../../src/producer/delivery.js';
import { AdaptiveStickyTracker, adaptivePartitioner } from '../../../src/producer/partitioners/adaptive.js';
import { type PartitionMetadata, partitionForKey } from '../../../src/producer/partitioners/index.js';
import { NodeDrainStats, type PartitionLoad } from '../../../src/producer/partitioners/load-stats.js';

/** Partition i led by node `leaders[i]`. */
function partitions(leaders: number[]): PartitionMetadata[] {
  return leaders.map((leader, i) => ({
    partitionErrorCode: 0,
    partitionId: i,
    leader,
    replicas: [leader],
    isr: [leader],
  }));
}

function load(queued: Record<number, number>, unavailable: number[] = []): PartitionLoad {
  return {
    queuedBatches: (_topic, partition) => queued[partition] ?? 0,
    isUnavailable: (nodeId) => unavailable.includes(nodeId),
  };
}

function draws(tracker: AdaptiveStickyTracker, meta: PartitionMetadata[], n: number): number[] {
  const counts = new Array<number>(meta.length).fill(0);
  for (let i = 0; i < n; i++) counts[tracker.pick('t', meta)]!++;
  return counts;
}

describe('adaptive sticky partitioning (KIP-794)', () => {
  it('draws uniformly when no partition has batches waiting', () => {
    const counts = draws(new AdaptiveStickyTracker(100, load({})), partitions([1, 2, 3]), 3000);
    for (const c of counts) assert.ok(c > 800 && c < 1200, `uniform draw, got ${counts.join(',')}`);
  });

  it("weighs each partition by max + 1 − its queue, as Java's BuiltInPartitioner", () => {
    // Queues 9, 0, 0: weights 1, 10, 10 → the slow partition gets 1/21 of the draws.
    let i = 0;
    const sequence = Array.from({ length: 21 }, (_, k) => (k + 0.5) / 21);
    const tracker = new AdaptiveStickyTracker(100, load({ 0: 9 }), () => sequence[i++ % 21]!);
    const counts = draws(tracker, partitions([1, 2, 3]), 21);
    assert.deepEqual(counts, [1, 10, 10]);
  });

  it('leaves out partitions of a broker that cannot take data, unless none is left', () => {
    const meta = partitions([1, 2, 2]);
    assert.equal(draws(new AdaptiveStickyTracker(100, load({}, [2])), meta, 200)[0], 200);
    const all = draws(new AdaptiveStickyTracker(100, load({}, [1, 2])), meta, 300);
    assert.ok(
      all.every((c) => c > 0),
      `falls back to every led partition, got ${all.join(',')}`,
    );
  });

  it('sticks to one partition until batchSize bytes went there', () => {
    const tracker = new AdaptiveStickyTracker(100, load({}));
    const meta = partitions([1, 2, 3]);
    const first = tracker.partition('t', meta, 60);
    assert.equal(tracker.partition('t', meta, 30), first);
    assert.equal(tracker.partition('t', meta, 30), first);
  });

  it('leaves keyed and explicit records to murmur2 and the record', () => {
    const p = adaptivePartitioner(100, load({ 1: 50, 2: 50 }));
    const meta = partitions([1, 2, 3]);
    for (const key of ['a', 'b', 'user-42', 'zz']) {
      const expected = partitionForKey(Buffer.from(key), 3);
      assert.equal(p({ topic: 't', partitionMetadata: meta, message: { key, value: 'v' } }), expected);
    }
    assert.equal(p({ topic: 't', partitionMetadata: meta, message: { value: 'v', partition: 2 } }), 2);
  });
});

describe('NodeDrainStats (partitionerAvailabilityTimeout)', () => {
  it('marks a broker with data and no drain for longer than the timeout', () => {
    const stats = new NodeDrainStats(1000);
    stats.hadData(1, 0);
    stats.hadData(2, 0);
    stats.drained(2, 0);
    stats.hadData(1, 1500);
    stats.hadData(2, 1500);
    stats.drained(2, 1400);
    assert.equal(stats.isUnavailable(1, 1500), true);
    assert.equal(stats.isUnavailable(2, 1500), false);
    stats.drained(1, 1600);
    assert.equal(stats.isUnavailable(1, 1600), false);
  });

  it('never marks a broker when the timeout is 0 (the default)', () => {
    const stats = new NodeDrainStats(0);
    stats.hadData(1, 0);
    stats.hadData(1, 100000);
    assert.equal(stats.isUnavailable(1, 100000), false);
  });

  it('is fed by the accumulator: ready() notes brokers with data, drain() the ones drained', () => {
    const stats = new NodeDrainStats(50);
    const acc = new RecordAccumulator({
      batchSize: 1000,
      lingerMs: 0,
      maxInFlightPerPartition: 5,
      drainStats: stats,
    });
    const settings = { acks: -1 as const, timeout: 1000, compression: 0 };
    const record = { key: null, value: Buffer.from('x'), timestamp: 0 };
    acc.append('t', 0, record, new DeliveryReport(), settings, 10, 0);
    acc.append('t', 1, record, new DeliveryReport(), settings, 10, 0);
    const leaderOf = (_t: string, p: number) => p + 1;
    acc.ready(leaderOf, 0);
    assert.equal(acc.queuedBatches('t', 0), 1);
    acc.drain(2, leaderOf, 1 << 20, 0);
    assert.equal(acc.queuedBatches('t', 1), 1, 'in flight still counts');
    acc.ready(leaderOf, 100);
    assert.equal(stats.isUnavailable(1, 100), true);
    assert.equal(stats.isUnavailable(2, 100), false);
  });
});

describe('adaptive partitioning options', () => {
  it('refuses adaptivePartitioning that is not a boolean and a negative availability timeout', async () => {
    const { resolveProducerOptions } = await import('../../../src/producer/options.js');
    assert.throws(
      () => resolveProducerOptions({ adaptivePartitioning: 'no' as never }),
      /adaptivePartitioning/,
    );
    assert.throws(
      () => resolveProducerOptions({ partitionerAvailabilityTimeout: -1 }),
      /partitionerAvailabilityTimeout/,
    );
    const o = resolveProducerOptions({});
    assert.equal(o.adaptivePartitioning, true);
    assert.equal(o.partitionerAvailabilityTimeout, 0);
  });
});
