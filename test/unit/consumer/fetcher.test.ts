import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Fetcher, type FetcherOptions } from '../../../src/consumer/fetcher.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';
import { TopicCatalog } from '../../../src/consumer/topic-catalog.js';
import { nullLogger } from '../../../src/logger.js';
import {
  Fetch,
  type FetchRequest,
  type FetchResponse,
  ListOffsets,
} from '../../../src/protocol/messages/index.js';
import { encodeRecordBatchSync } from '../../../src/protocol/records/index.js';
import { FakeCluster, metadataFor } from './fake-cluster.js';

const T = 'AAAAAAAAAAAAAAAAAAAAAQ';
const options: FetcherOptions = {
  minBytes: 1,
  maxBytes: 1 << 20,
  maxBytesPerPartition: 1 << 16,
  maxWaitTimeInMs: 10,
  isolationLevel: 'read_committed',
  maxBufferedBatches: 8,
  requestTimeout: 1000,
};

const batch = (base: number, n: number) =>
  encodeRecordBatchSync({
    baseOffset: base,
    records: Array.from({ length: n }, (_, i) => ({ value: Buffer.from(`v${base + i}`), timestamp: 1 })),
  });

/**
 * Resolves once `predicate` holds; rejects after `ms`. Unit files run in parallel on a loaded
 * machine, so tests wait for the state they check instead of sleeping a fixed time.
 */
async function until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function partitionResponse(partition: number, records: Buffer | null, errorCode = 0) {
  return {
    partitionIndex: partition,
    errorCode,
    highWatermark: 100n,
    lastStableOffset: 100n,
    logStartOffset: 0n,
    abortedTransactions: null,
    records,
  };
}

const fetchers: Fetcher[] = [];
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.stop()));
});

function setup(partitions: number, overrides: Partial<FetcherOptions> = {}) {
  const cluster = new FakeCluster();
  cluster.versions = { Fetch: 17, ListOffsets: 9 };
  const catalog = new TopicCatalog();
  catalog.update(metadataFor({ t: { id: T, partitions } }));
  const state = new SubscriptionState();
  const fetcher = new Fetcher(
    cluster,
    state,
    catalog,
    { ...options, ...overrides },
    {
      onFatal: (e) => {
        throw e;
      },
      resetPolicy: () => 'earliest',
      refreshMetadata: async () => {},
    },
    nullLogger,
  );
  fetchers.push(fetcher);
  return { cluster, state, fetcher };
}

describe('Fetcher', () => {
  it('fetches by topic id, buffers batches and moves the position; then fetches incrementally', async () => {
    const { cluster, state, fetcher } = setup(2);
    state.add([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    state.get('t', 0)!.seek(0);
    state.get('t', 1)!.seek(5);
    let calls = 0;
    cluster.on(Fetch, (): FetchResponse => {
      calls++;
      const p0 = calls === 1 ? batch(0, 3) : null;
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 42,
        responses: [{ topicId: T, partitions: [partitionResponse(0, p0), partitionResponse(1, null)] }],
      };
    });
    fetcher.start();
    const got = await fetcher.poll(10, 10_000);
    assert.equal(got.length, 1);
    assert.deepEqual(
      got[0]!.records.map((r) => r.value!.toString()),
      ['v0', 'v1', 'v2'],
    );
    assert.equal(state.get('t', 0)!.position, 3);
    await until(() => cluster.requests('Fetch').length >= 2, 'a second fetch');
    const reqs = cluster.requests('Fetch') as FetchRequest[];
    assert.equal(reqs[0]!.sessionId, 0);
    assert.equal(reqs[0]!.sessionEpoch, 0);
    assert.equal(reqs[0]!.topics[0]!.topicId, T);
    assert.equal(reqs[0]!.isolationLevel, 1);
    const later = reqs[reqs.length - 1]!;
    assert.equal(later.sessionId, 42);
    assert.ok(later.sessionEpoch! >= 1, 'later fetches are incremental');
  });

  it('does not fetch a partition again while its data waits in the buffer', async () => {
    const { cluster, state, fetcher } = setup(1);
    state.add([{ topic: 't', partition: 0 }]);
    state.get('t', 0)!.seek(0);
    let next = 0;
    cluster.on(Fetch, (req: FetchRequest): FetchResponse => {
      const asked = req.topics.flatMap((t) => t.partitions.map((p) => Number(p.fetchOffset)));
      const records = asked.length > 0 ? batch(next, 2) : null;
      if (records) next += 2;
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [{ topicId: T, partitions: [partitionResponse(0, records)] }],
      };
    });
    fetcher.start();
    await until(() => fetcher.bufferedBatches >= 1, 'the first batch');
    // Time for more fetches to happen if the fetcher wrongly made them.
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fetcher.bufferedBatches, 1, 'one batch buffered, no more fetched for the partition');
    const [b] = await fetcher.poll(1, 10_000);
    assert.equal(b!.fetchOffset, 0);
    const [b2] = await fetcher.poll(1, 10_000);
    assert.equal(b2!.fetchOffset, 2, 'fetching resumes once the buffer is drained');
  });

  it('resets an out-of-range position with ListOffsets, and drops data fetched before a seek', async () => {
    const { cluster, state, fetcher } = setup(1);
    state.add([{ topic: 't', partition: 0 }]);
    state.get('t', 0)!.seek(500);
    cluster.on(ListOffsets, () => ({
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1n, offset: 7n, leaderEpoch: 0 }],
        },
      ],
    }));
    cluster.on(Fetch, (req: FetchRequest): FetchResponse => {
      const offset = Number(req.topics[0]?.partitions[0]?.fetchOffset ?? -1);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [
          {
            topicId: T,
            partitions: [
              offset === 500 ? partitionResponse(0, null, 1) : partitionResponse(0, batch(offset, 1)),
            ],
          },
        ],
      };
    });
    fetcher.start();
    const [b] = await fetcher.poll(1, 10_000);
    assert.equal(b!.records[0]!.offset, 7);
    // A seek invalidates anything fetched for the old position.
    await new Promise((r) => setTimeout(r, 50));
    state.get('t', 0)!.seek(20);
    fetcher.purge();
    const [c] = await fetcher.poll(1, 10_000);
    assert.equal(c!.records[0]!.offset, 20);
  });
  it('does not long-poll caught-up partitions while a drained partition with data waits behind them', async () => {
    // p0 has plenty of data; p1 is empty (caught up). A fetch of p1 alone long-polls (the broker has
    // nothing to return), and p0 could not be fetched again until it came back.
    // A long poll far longer than the bound below, so that a loaded machine cannot blur them.
    const { cluster, state, fetcher } = setup(2, { maxWaitTimeInMs: 30_000 });
    state.add([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    state.get('t', 0)!.seek(0);
    state.get('t', 1)!.seek(0);
    const onlyIdle: number[] = [];
    cluster.on(Fetch, async (req: FetchRequest): Promise<FetchResponse> => {
      const asked = new Map(
        req.topics.flatMap((t) => t.partitions.map((p) => [p.partition, Number(p.fetchOffset)] as const)),
      );
      const at = asked.get(0);
      if (at === undefined) {
        onlyIdle.push(Date.now());
        await new Promise((r) => setTimeout(r, req.maxWaitMs)); // the broker's long poll
      }
      const p0 = at === undefined ? [] : [{ ...partitionResponse(0, batch(at, 2)), highWatermark: 1000n }];
      const p1 = asked.has(1)
        ? [{ ...partitionResponse(1, null), highWatermark: 0n, lastStableOffset: 0n }]
        : [];
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [{ topicId: T, partitions: [...p0, ...p1] }],
      };
    });
    fetcher.start();
    const started = Date.now();
    const offsets: number[] = [];
    while (offsets.length < 5 && Date.now() - started < 20_000) {
      for (const b of await fetcher.poll(10, 20_000)) offsets.push(b.fetchOffset);
      await new Promise((r) => setTimeout(r, 5)); // the handler
    }
    assert.deepEqual(offsets, [0, 2, 4, 6, 8]);
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms: waited on long polls`);
    assert.equal(onlyIdle.length, 0, 'no fetch of only the caught-up partition while p0 had data');
  });

  it('still long-polls caught-up partitions while the buffered partition is paused', async () => {
    const { cluster, state, fetcher } = setup(2, { maxWaitTimeInMs: 1000 });
    state.add([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    state.get('t', 0)!.seek(0);
    state.get('t', 1)!.seek(0);
    state.pause([{ topic: 't', partitions: [0] }]);
    let p1Ready = false;
    cluster.on(Fetch, async (req: FetchRequest): Promise<FetchResponse> => {
      const asked = new Set(req.topics.flatMap((t) => t.partitions.map((p) => p.partition)));
      if (!asked.has(0) && !p1Ready) await new Promise((r) => setTimeout(r, 20)); // a short long poll
      const parts = [];
      if (asked.has(0)) parts.push({ ...partitionResponse(0, batch(0, 2)), highWatermark: 1000n });
      if (asked.has(1))
        parts.push(
          p1Ready
            ? partitionResponse(1, batch(0, 1))
            : { ...partitionResponse(1, null), highWatermark: 0n, lastStableOffset: 0n },
        );
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [{ topicId: T, partitions: parts }],
      };
    });
    // p0 is fetched once (before the pause takes effect in the fetcher) and its batch stays buffered.
    state.resume([{ topic: 't', partitions: [0] }]);
    fetcher.start();
    await until(() => fetcher.bufferedBatches === 1, "p0's batch in the buffer");
    state.pause([{ topic: 't', partitions: [0] }]);
    assert.equal(fetcher.bufferedBatches, 1);
    p1Ready = true;
    const started = Date.now();
    const got = await fetcher.poll(10, 10_000);
    assert.deepEqual(
      got.map((b) => b.partition),
      [1],
    );
    assert.ok(Date.now() - started < 8_000, 'a paused partition with buffered data holds nothing back');
  });

  it('follows the preferred read replica (KIP-392) and falls back to the leader when it fails', async () => {
    const { cluster, state, fetcher } = setup(1, { rackId: 'rack-b' });
    state.add([{ topic: 't', partition: 0 }]);
    state.get('t', 0)!.seek(0);
    const seen: Array<{ node: number; offset: number; rackId: string | undefined }> = [];
    let follower = 0;
    cluster.on(Fetch, (req: FetchRequest, nodeId: number): FetchResponse => {
      const asked = req.topics.flatMap((t) => t.partitions.map((p) => Number(p.fetchOffset)));
      if (asked.length === 0) return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [] };
      const offset = asked[0]!;
      seen.push({ node: nodeId, offset, rackId: req.rackId });
      let part: ReturnType<typeof partitionResponse> & { preferredReadReplica?: number };
      if (nodeId === 1) {
        // The leader sends a rack-b consumer to replica 2, without records.
        part = { ...partitionResponse(0, null), preferredReadReplica: 2 };
      } else if (++follower <= 2) {
        part = partitionResponse(0, batch(offset, 2));
      } else {
        part = partitionResponse(0, null, 6); // NOT_LEADER_OR_FOLLOWER: back to the leader
      }
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [{ topicId: T, partitions: [part] }],
      };
    });
    fetcher.start();
    const [a] = await fetcher.poll(1, 10_000);
    assert.equal(a!.records[0]!.offset, 0);
    assert.equal(fetcher.readReplica('t', 0), 2);
    const [b] = await fetcher.poll(1, 10_000);
    assert.equal(b!.records[0]!.offset, 2);
    // The third fetch from the replica fails: the next goes to the leader, which points at the
    // replica again.
    await until(() => seen.length >= 5, 'five fetches');
    assert.deepEqual(
      seen.slice(0, 5).map((s) => `${s.node}@${s.offset}`),
      ['1@0', '2@0', '2@2', '2@4', '1@4'],
    );
    assert.ok(
      seen.every((s) => s.rackId === 'rack-b'),
      'rackId is sent with every fetch',
    );
  });
});
