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

function setup(partitions: number) {
  const cluster = new FakeCluster();
  cluster.versions = { Fetch: 17, ListOffsets: 9 };
  const catalog = new TopicCatalog();
  catalog.update(metadataFor({ t: { id: T, partitions } }));
  const state = new SubscriptionState();
  const fetcher = new Fetcher(
    cluster,
    state,
    catalog,
    options,
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
    const got = await fetcher.poll(10, 2000);
    assert.equal(got.length, 1);
    assert.deepEqual(
      got[0]!.records.map((r) => r.value!.toString()),
      ['v0', 'v1', 'v2'],
    );
    assert.equal(state.get('t', 0)!.position, 3);
    await new Promise((r) => setTimeout(r, 50));
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
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(fetcher.bufferedBatches, 1, 'one batch buffered, no more fetched for the partition');
    const [b] = await fetcher.poll(1, 100);
    assert.equal(b!.fetchOffset, 0);
    const [b2] = await fetcher.poll(1, 1000);
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
    const [b] = await fetcher.poll(1, 2000);
    assert.equal(b!.records[0]!.offset, 7);
    // A seek invalidates anything fetched for the old position.
    await new Promise((r) => setTimeout(r, 50));
    state.get('t', 0)!.seek(20);
    fetcher.purge();
    const [c] = await fetcher.poll(1, 2000);
    assert.equal(c!.records[0]!.offset, 20);
  });
});
