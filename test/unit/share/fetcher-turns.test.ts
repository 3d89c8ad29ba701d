import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../../../src/network/cluster.js';
import { CompressionTypes, loadCompressionCodec } from '../../../src/protocol/compression/index.js';
import { ShareFetch, type ShareFetchResponse } from '../../../src/protocol/messages/share-fetch.js';
import { encodeRecordBatch } from '../../../src/protocol/records/encode.js';
import { PartitionAcks } from '../../../src/share/ack.js';
import { type FetcherHost, ShareBrokerLoop, YIELD_EVERY_MS } from '../../../src/share/fetcher.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const RECORDS = 5;

/** One ShareFetch answer acquiring `RECORDS` zstd records of 100 KB, then empty answers. */
async function fakeCluster(): Promise<Cluster> {
  await loadCompressionCodec(CompressionTypes.ZSTD);
  const records = await encodeRecordBatch({
    baseOffset: 0,
    compression: CompressionTypes.ZSTD,
    records: Array.from({ length: RECORDS }, () => ({ value: Buffer.alloc(100_000, 'x'), timestamp: 0 })),
  });
  let fetches = 0;
  const answer = (withRecords: boolean): ShareFetchResponse => ({
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    acquisitionLockTimeoutMs: 60_000,
    nodeEndpoints: [],
    responses: withRecords
      ? [
          {
            topicId: TOPIC_ID,
            partitions: [
              {
                partitionIndex: 0,
                errorCode: 0,
                errorMessage: null,
                acknowledgeErrorCode: 0,
                acknowledgeErrorMessage: null,
                currentLeader: { leaderId: 1, leaderEpoch: 0 },
                records,
                acquiredRecords: [{ firstOffset: 0n, lastOffset: BigInt(RECORDS - 1), deliveryCount: 1 }],
              },
            ],
          },
        ]
      : [],
  });
  const connection = {
    versionFor: () => 1,
    async send(api: unknown) {
      if (api !== ShareFetch) return { errorCode: 0, errorMessage: null, responses: [] };
      // later fetches find nothing new; an I/O-like pause as a long poll would have
      if (fetches++ > 0) await new Promise((resolve) => setImmediate(resolve));
      return answer(fetches === 1);
    },
  };
  return {
    connectionTo: async () => connection,
    metadata: { topicNamesById: new Map() },
  } as unknown as Cluster;
}

describe('ShareBrokerLoop delivering one answer slice by slice', () => {
  it('lets the event loop turn between slices once the interval has passed', async () => {
    const events: string[] = [];
    let delivered = 0;
    let allDelivered: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      allDelivered = resolve;
    });
    const acks = new PartitionAcks('t', 0);
    const noop = () => {};
    const host: FetcherHost = {
      groupId: 'g',
      memberId: 'm',
      cluster: await fakeCluster(),
      logger: { debug: noop, info: noop, warn: noop, error: noop } as unknown as FetcherHost['logger'],
      settings: { maxWaitMs: 0, minBytes: 1, maxBytes: 1_000_000, maxRecords: 500, deliveryBudgetBytes: 1 },
      stopping: false,
      acksFor: () => acks,
      deliver(d) {
        const n = delivered++;
        events.push(`delivery ${n}`);
        // a macrotask queued now runs only when the loop lets the event loop turn
        setImmediate(() => events.push(`turn after ${n}`));
        // a handler busy for longer than the interval (a slower machine only makes it longer)
        const until = performance.now() + YIELD_EVERY_MS + 1;
        while (performance.now() < until) {}
        // the handler finishes in promise continuations alone, as an async eachMessage does
        queueMicrotask(() => {
          d.loop.delivered();
          if (delivered === RECORDS) allDelivered();
        });
      },
      reportAcks: noop,
      leaderFailed: noop,
      partitionError: noop,
      fatal: (error) => assert.fail(error),
    };
    const loop = new ShareBrokerLoop(1, host);
    loop.setPartitions([{ topic: 't', topicId: TOPIC_ID, partition: 0 }]);
    loop.start();
    await finished;
    await loop.stop();
    // one record per slice (budget of 1 byte), and the loop turned before each next slice
    assert.deepEqual(
      events.filter((e) => e.startsWith('delivery')),
      Array.from({ length: RECORDS }, (_, i) => `delivery ${i}`),
    );
    for (let i = 0; i < RECORDS - 1; i++) {
      const turn = events.indexOf(`turn after ${i}`);
      assert.ok(
        turn >= 0 && turn < events.indexOf(`delivery ${i + 1}`),
        `the event loop turned between slice ${i} and slice ${i + 1}: ${events.join(', ')}`,
      );
    }
  });
});
