/**
 * Soak: an idempotent producer streams for SOAK_SECONDS (60 by default; `npm run test:soak` sets
 * 600) while an admin client checks the log end offsets every 5 s, and a consumer group (the
 * default protocol: KIP-848 on Kafka 4.x) processes everything: one member stays, a second one
 * joins or leaves every REBALANCE_SECONDS (20), so the group rebalances all along. Every second
 * RSS, heapUsed, the event-loop delay and the consumer lag (acknowledged, not yet processed) are
 * sampled, and every 5 s the live heap (after a forced full GC). After a warm-up, the median live
 * heap of the last third must be within 50 % of the first third's; the producer's lag (sent, not
 * yet acknowledged) and the consumer lag must return to zero; the log must hold exactly what was
 * acknowledged; every acknowledged record must have been processed, redeliveries only above the
 * last commit, and the group's committed offsets must reach the log end.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Admin } from '../../src/admin/index.js';
import type { Consumer } from '../../src/consumer/index.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import {
  ConsumeLog,
  createTopic,
  kcatValues,
  ProduceStream,
  printConsumeTally,
  printTally,
  sleep,
  tally,
  waitFor,
} from './helpers.js';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const REBALANCE_SECONDS = Number(process.env.REBALANCE_SECONDS ?? 20);
const PARTITIONS = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** heapUsed after a full GC: live objects only (the plain samples include garbage not yet collected). */
function liveHeap(): number {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe(`soak: ${SOAK_SECONDS} s of continuous produce and group consumption, a rebalance every ${REBALANCE_SECONDS} s`, () => {
  const cluster = testCluster();
  const topic = uniqueTopicName('rel-soak');
  const groupId = `g-${topic}`;
  let kafka: Kafka;
  let producer: Producer;
  let admin: Admin;
  const consumeLog = new ConsumeLog();
  const crashes: string[] = [];
  let stayer: Consumer | undefined;
  let visitor: Consumer | undefined;

  const member = async (): Promise<Consumer> => {
    const c = kafka.consumer({
      groupId,
      maxWaitTimeInMs: 500,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    c.on('consumer.commit_offsets', consumeLog.onCommit);
    c.on('consumer.crash', (e) => crashes.push(String((e.payload.error as Error)?.message)));
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({
      eachMessage: async ({ partition, message }) => {
        consumeLog.record(partition, message.offset, message.value!.toString());
      },
    });
    return c;
  };

  before(async () => {
    await createTopic(cluster.brokers, topic, PARTITIONS);
    kafka = new Kafka({ clientId: 'rel-soak', brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer({ lingerMs: 5 });
    admin = kafka.admin();
    await producer.connect();
    await admin.connect();
  });
  after(async () => {
    await visitor?.disconnect().catch(() => {});
    await stayer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
  });

  it('memory stays flat, producer and consumer lag return to zero, the log holds what was acknowledged', {
    timeout: (SOAK_SECONDS + 240) * 1000,
  }, async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    stayer = await member();
    // ~2,000 records/s at most: enough to exercise batching without starving the shared CPUs.
    const stream = new ProduceStream(producer, topic, 'soak', 10, 10, 5).start();
    const samples: {
      t: number;
      rss: number;
      heap: number;
      p99: number;
      max: number;
      lag: number;
      consumerLag: number;
    }[] = [];
    const start = Date.now();
    let checks = 0;
    let nextCheck = start + 5_000;
    let nextRebalance = start + REBALANCE_SECONDS * 1000;
    const rebalances: string[] = [];
    const live: { t: number; heap: number }[] = [];
    while (Date.now() - start < SOAK_SECONDS * 1000) {
      await sleep(1_000);
      const m = process.memoryUsage();
      samples.push({
        t: Date.now() - start,
        rss: m.rss,
        heap: m.heapUsed,
        p99: delay.percentile(99) / 1e6,
        max: delay.max / 1e6,
        lag: stream.produced - stream.acknowledged.size - stream.failedSends * 10,
        consumerLag: stream.acknowledged.size - consumeLog.consumed,
      });
      delay.reset();
      if (Date.now() >= nextRebalance) {
        nextRebalance += REBALANCE_SECONDS * 1000;
        const t0 = Date.now();
        if (visitor) {
          await visitor.disconnect();
          visitor = undefined;
          rebalances.push(`leave ${Date.now() - t0} ms`);
        } else {
          visitor = await member();
          rebalances.push(`join ${Date.now() - t0} ms`);
        }
      }
      if (Date.now() >= nextCheck) {
        nextCheck += 5_000;
        // Acknowledged before asking: acknowledgements that arrive while ListOffsets is out may be
        // for records the answer does not count yet.
        live.push({ t: Date.now() - start, heap: liveHeap() });
        const ackedBefore = stream.acknowledged.size;
        const offsets = await admin.fetchTopicOffsets(topic);
        const end = offsets.reduce((n, o) => n + Number(o.high), 0);
        // The log end can only be ahead of what we knew as acknowledged (answers in flight).
        assert.ok(end >= ackedBefore, `log end ${end} ≥ acknowledged ${ackedBefore}`);
        checks++;
      }
    }
    await stream.stop();
    await producer.flush();
    const drainStart = Date.now();
    await waitFor(
      () => consumeLog.unprocessed(stream.acknowledged).length === 0,
      60_000,
      'the consumer lag back to zero',
    );
    const drained = Date.now() - drainStart;
    delay.disable();
    const finalLag = stream.produced - stream.acknowledged.size - stream.failedSends * 10;
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = offsets.reduce((n, o) => n + Number(o.high), 0);
    // Stopping commits what was processed: the group's committed offsets reach the log end.
    await visitor?.disconnect();
    visitor = undefined;
    await stayer.disconnect();
    const committed = (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions.reduce(
      (n, p) => n + Math.max(0, Number(p.offset)),
      0,
    );
    const maxConsumerLag = Math.max(...samples.map((s) => s.consumerLag));
    const midConsumerLag = median(samples.map((s) => s.consumerLag));

    // Warm-up: the first 10 % (at least 5 s) is left out; then thirds.
    const warm = samples.filter((s) => s.t > Math.max(5_000, SOAK_SECONDS * 100));
    const third = Math.max(1, Math.floor(warm.length / 3));
    const first = warm.slice(0, third);
    const last = warm.slice(-third);
    const heapFirst = median(first.map((s) => s.heap));
    const heapLast = median(last.map((s) => s.heap));
    const warmLive = live.filter((s) => s.t > Math.max(5_000, SOAK_SECONDS * 100));
    const liveThird = Math.max(1, Math.floor(warmLive.length / 3));
    const liveFirst = median(warmLive.slice(0, liveThird).map((s) => s.heap));
    const liveLast = median(warmLive.slice(-liveThird).map((s) => s.heap));
    const rssFirst = median(first.map((s) => s.rss));
    const rssLast = median(last.map((s) => s.rss));
    const p99 = median(samples.map((s) => s.p99));
    const worst = Math.max(...samples.map((s) => s.max));
    const rate = Math.round(stream.acknowledged.size / SOAK_SECONDS);
    console.log(
      `[figures] soak ${SOAK_SECONDS} s: ${stream.acknowledged.size} acknowledged (${rate}/s), ${checks} admin checks; ` +
        `heapUsed median ${mib(heapFirst)} -> ${mib(heapLast)} (${(((heapLast - heapFirst) / heapFirst) * 100).toFixed(1)} %), ` +
        `after GC ${mib(liveFirst)} -> ${mib(liveLast)}; RSS ${mib(rssFirst)} -> ${mib(rssLast)}; event-loop delay p99 (median of 1 s windows) ${p99.toFixed(1)} ms, ` +
        `max ${worst.toFixed(1)} ms; final lag ${finalLag}`,
    );
    const log = await kcatValues(cluster.bootstrap, topic);
    const t = tally(stream.produced, stream.acknowledged, stream.failedSends, log);
    printTally(`soak ${SOAK_SECONDS} s`, t);
    printConsumeTally(`soak ${SOAK_SECONDS} s consumer group`, stream, consumeLog);
    console.log(
      `[figures] soak consumer: ${rebalances.length} forced rebalances (${rebalances.join(', ')}); ` +
        `consumer lag median ${midConsumerLag}, max ${maxConsumerLag}, back to 0 ${drained} ms after the ` +
        `producer stopped; committed ${committed} of log end ${end}; crashes ${crashes.length} ` +
        crashes.slice(0, 3).join(' | '),
    );

    assert.equal(stream.failedSends, 0, 'no send failed');
    assert.equal(finalLag, 0, 'everything sent was acknowledged');
    assert.equal(end, stream.acknowledged.size, 'the log end offsets add up to what was acknowledged');
    assert.equal(t.lost, 0);
    assert.equal(t.duplicates, 0);
    assert.equal(
      consumeLog.unprocessed(stream.acknowledged).length,
      0,
      'every acknowledged record processed',
    );
    assert.equal(consumeLog.belowCommitted, 0, 'no committed record was delivered again');
    assert.equal(committed, end, 'the committed offsets reach the log end (consumer lag 0)');
    assert.equal(crashes.length, 0, 'no consumer crashed');
    assert.ok(rebalances.length >= Math.floor(SOAK_SECONDS / REBALANCE_SECONDS) - 1, 'the group rebalanced');
    // Live heap (after a full GC, every 5 s): the plain heapUsed medians also count garbage that a
    // consumer's allocation rate leaves until the next major GC, so they are reported, not asserted.
    assert.ok(
      liveLast < liveFirst * 1.5,
      `live heap grew by less than 50 % (${mib(liveFirst)} -> ${mib(liveLast)})`,
    );
  });
});
