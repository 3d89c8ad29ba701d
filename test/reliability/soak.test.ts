/**
 * Soak: an idempotent producer streams for SOAK_SECONDS (60 by default; `npm run test:soak` sets
 * 600) while an admin client checks the log end offsets every 5 s. Every second RSS, heapUsed and
 * the event-loop delay are sampled. After a warm-up, the median heap of the last third must be
 * within 50 % of the first third's, the producer's lag (sent, not yet acknowledged) must return
 * to zero, and the log must hold exactly what was acknowledged.
 *
 * Without a consumer (kafka.consumer() is not wired yet) there is no consumption or rebalance
 * every 20 s; see docs/reliability.md.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { Admin } from '../../src/admin/index.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import { createTopic, kcatValues, ProduceStream, printTally, sleep, tally } from './helpers.js';

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const PARTITIONS = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

describe(`soak: ${SOAK_SECONDS} s of continuous produce with periodic admin checks`, () => {
  const cluster = testCluster();
  const topic = uniqueTopicName('rel-soak');
  let producer: Producer;
  let admin: Admin;

  before(async () => {
    await createTopic(cluster.brokers, topic, PARTITIONS);
    const kafka = new Kafka({ clientId: 'rel-soak', brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer({ lingerMs: 5 });
    admin = kafka.admin();
    await producer.connect();
    await admin.connect();
  });
  after(async () => {
    await producer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
  });

  it('memory stays flat, lag returns to zero, the log holds what was acknowledged', {
    timeout: (SOAK_SECONDS + 180) * 1000,
  }, async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // ~2,000 records/s at most: enough to exercise batching without starving the shared CPUs.
    const stream = new ProduceStream(producer, topic, 'soak', 10, 10, 5).start();
    const samples: { t: number; rss: number; heap: number; p99: number; max: number; lag: number }[] = [];
    const start = Date.now();
    let checks = 0;
    let nextCheck = start + 5_000;
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
      });
      delay.reset();
      if (Date.now() >= nextCheck) {
        nextCheck += 5_000;
        const offsets = await admin.fetchTopicOffsets(topic);
        const end = offsets.reduce((n, o) => n + Number(o.high), 0);
        // The log end can only be ahead of what we know as acknowledged (answers in flight).
        assert.ok(
          end >= stream.acknowledged.size,
          `log end ${end} ≥ acknowledged ${stream.acknowledged.size}`,
        );
        checks++;
      }
    }
    await stream.stop();
    await producer.flush();
    delay.disable();
    const finalLag = stream.produced - stream.acknowledged.size - stream.failedSends * 10;
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = offsets.reduce((n, o) => n + Number(o.high), 0);

    // Warm-up: the first 10 % (at least 5 s) is left out; then thirds.
    const warm = samples.filter((s) => s.t > Math.max(5_000, SOAK_SECONDS * 100));
    const third = Math.max(1, Math.floor(warm.length / 3));
    const first = warm.slice(0, third);
    const last = warm.slice(-third);
    const heapFirst = median(first.map((s) => s.heap));
    const heapLast = median(last.map((s) => s.heap));
    const rssFirst = median(first.map((s) => s.rss));
    const rssLast = median(last.map((s) => s.rss));
    const p99 = median(samples.map((s) => s.p99));
    const worst = Math.max(...samples.map((s) => s.max));
    const rate = Math.round(stream.acknowledged.size / SOAK_SECONDS);
    console.log(
      `[figures] soak ${SOAK_SECONDS} s: ${stream.acknowledged.size} acknowledged (${rate}/s), ${checks} admin checks; ` +
        `heapUsed median ${mib(heapFirst)} -> ${mib(heapLast)} (${(((heapLast - heapFirst) / heapFirst) * 100).toFixed(1)} %), ` +
        `RSS ${mib(rssFirst)} -> ${mib(rssLast)}; event-loop delay p99 (median of 1 s windows) ${p99.toFixed(1)} ms, ` +
        `max ${worst.toFixed(1)} ms; final lag ${finalLag}`,
    );
    const log = await kcatValues(cluster.bootstrap, topic);
    const t = tally(stream.produced, stream.acknowledged, stream.failedSends, log);
    printTally(`soak ${SOAK_SECONDS} s`, t);

    assert.equal(stream.failedSends, 0, 'no send failed');
    assert.equal(finalLag, 0, 'everything sent was acknowledged');
    assert.equal(end, stream.acknowledged.size, 'the log end offsets add up to what was acknowledged');
    assert.equal(t.lost, 0);
    assert.equal(t.duplicates, 0);
    assert.ok(
      heapLast < heapFirst * 1.5,
      `heap grew by less than 50 % (${mib(heapFirst)} -> ${mib(heapLast)})`,
    );
  });
});
