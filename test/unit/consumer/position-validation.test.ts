import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsValidation, validatePositions } from '../../../src/consumer/position-validation.js';
import { PartitionState, type ResetPolicy } from '../../../src/consumer/subscription-state.js';
import { TopicCatalog } from '../../../src/consumer/topic-catalog.js';
import { nullLogger } from '../../../src/logger.js';
import { OffsetForLeaderEpoch } from '../../../src/protocol/messages/index.js';
import { FakeCluster, metadataFor } from './fake-cluster.js';

/** A catalog where partition 0 of `t` is led by node 1 under `leaderEpoch`. */
function catalogAt(leaderEpoch: number): TopicCatalog {
  const c = new TopicCatalog();
  const md = metadataFor({ t: { id: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: 1 } });
  md.topics[0]!.partitions[0]!.leaderEpoch = leaderEpoch;
  c.update(md);
  return c;
}

/** A position read up to `offset` under leader epoch `readEpoch`, confirmed under `validated`. */
function positionAt(offset: number, readEpoch: number, validated: number): PartitionState {
  const s = new PartitionState('t', 0);
  s.seek(offset);
  s.leaderEpoch = readEpoch;
  s.validatedEpoch = validated;
  return s;
}

function leaderAnswering(endEpoch: number, endOffset: number, errorCode = 0): FakeCluster {
  const cluster = new FakeCluster();
  cluster.versions = { OffsetForLeaderEpoch: 4 };
  cluster.on(OffsetForLeaderEpoch, (req) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({
        errorCode,
        partition: p.partition,
        leaderEpoch: endEpoch,
        endOffset: BigInt(endOffset),
      })),
    })),
  }));
  return cluster;
}

function hooks(policy: ResetPolicy = 'earliest') {
  const fatal: Error[] = [];
  const stale: PartitionState[] = [];
  return {
    fatal,
    stale,
    resetPolicy: () => policy,
    onFatal: (e: Error) => void fatal.push(e),
    onStale: (s: PartitionState) => void stale.push(s),
  };
}

describe('log truncation detection (KIP-320)', () => {
  it('asks only when the leader epoch moved past the one the position was confirmed under', () => {
    assert.equal(needsValidation(positionAt(30, 0, 0), catalogAt(0)), false);
    assert.equal(needsValidation(positionAt(30, 0, 0), catalogAt(1)), true);
    assert.equal(
      needsValidation(positionAt(30, -1, 0), catalogAt(1)),
      false,
      'unknown history: nothing to check',
    );
    const fresh = new PartitionState('t', 0);
    assert.equal(needsValidation(fresh, catalogAt(1)), false, 'no position');
  });

  it('keeps a position the new leader still has, and confirms it under the new epoch', async () => {
    const s = positionAt(30, 0, 0);
    const cluster = leaderAnswering(0, 45);
    const h = hooks();
    await validatePositions(cluster, catalogAt(1), [s], h, nullLogger);
    assert.equal(s.position, 30);
    assert.equal(s.validatedEpoch, 1);
    const sent = cluster.requests('OffsetForLeaderEpoch')[0] as {
      replicaId: number;
      topics: { partitions: { currentLeaderEpoch: number; leaderEpoch: number }[] }[];
    };
    assert.equal(sent.replicaId, -1);
    assert.deepEqual(
      sent.topics[0]!.partitions.map((p) => [p.currentLeaderEpoch, p.leaderEpoch]),
      [[1, 0]],
    );
  });

  it('moves a truncated position back to where the epoch ends in the new leader log', async () => {
    const s = positionAt(30, 0, 0);
    const h = hooks();
    await validatePositions(leaderAnswering(0, 10), catalogAt(1), [s], h, nullLogger);
    assert.equal(s.position, 10);
    assert.equal(s.leaderEpoch, 0);
    assert.equal(s.validatedEpoch, 1);
    assert.deepEqual(h.fatal, []);
  });

  it("fails with a typed error under autoOffsetReset 'none'", async () => {
    const s = positionAt(30, 0, 0);
    const h = hooks('none');
    await validatePositions(leaderAnswering(0, 10), catalogAt(1), [s], h, nullLogger);
    assert.equal(h.fatal.length, 1);
    assert.match(h.fatal[0]!.message, /Log truncation detected for t\[0\]: position 30/);
    assert.equal(s.position, 30, 'the position is left for the application to decide');
  });

  it('resets with the policy when the leader has no record of the epoch', async () => {
    const s = positionAt(30, 0, 0);
    await validatePositions(leaderAnswering(-1, -1), catalogAt(1), [s], hooks('latest'), nullLogger);
    assert.equal(s.position, null);
    assert.equal(s.pendingReset, 'latest');
  });

  it('leaves a partition for a metadata refresh when the leader moved again', async () => {
    const s = positionAt(30, 0, 0);
    const h = hooks();
    await validatePositions(
      leaderAnswering(0, 0, 74 /* FENCED_LEADER_EPOCH */),
      catalogAt(1),
      [s],
      h,
      nullLogger,
    );
    assert.deepEqual(h.stale, [s]);
    assert.equal(s.validatedEpoch, 0, 'still to be validated');
  });

  it('ignores an answer about a position that moved meanwhile', async () => {
    const s = positionAt(30, 0, 0);
    const cluster = leaderAnswering(0, 10);
    const catalog = catalogAt(1);
    const pending = validatePositions(cluster, catalog, [s], hooks(), nullLogger);
    s.seek(50);
    await pending;
    assert.equal(s.position, 50);
  });

  it('trusts the position on a broker without OffsetForLeaderEpoch v3', async () => {
    const s = positionAt(30, 0, 0);
    const cluster = leaderAnswering(0, 10);
    cluster.versions = { OffsetForLeaderEpoch: 2 };
    await validatePositions(cluster, catalogAt(1), [s], hooks(), nullLogger);
    assert.equal(s.position, 30);
    assert.equal(s.validatedEpoch, 1);
  });
});
