import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConsumerMetricsRecorder,
  ProducerMetricsRecorder,
  Summary,
  WindowedRate,
} from '../../../src/observability/metrics.js';

describe('WindowedRate', () => {
  it('averages over the time since creation while younger than the window', () => {
    const r = new WindowedRate(10_000);
    r.add(500, 10_100);
    r.add(500, 10_900);
    assert.equal(r.rate(12_000), 500); // 1000 events in 2 s
  });

  it('forgets buckets older than ten seconds', () => {
    const r = new WindowedRate(0);
    r.add(1000, 500);
    r.add(100, 15_500);
    assert.equal(r.rate(15_900), 10); // only the recent 100 remain, over a 10 s window
    assert.equal(r.rate(40_000), 0);
  });
});

describe('Summary', () => {
  it('keeps count, average, maximum and last', () => {
    const s = new Summary();
    for (const v of [3, 9, 6]) s.record(v);
    assert.deepEqual(
      { count: s.count, avg: s.avg, max: s.max, last: s.last },
      { count: 3, avg: 6, max: 9, last: 6 },
    );
    assert.equal(new Summary().avg, 0);
  });
});

describe('ProducerMetricsRecorder', () => {
  it('reports batch sizes, requests, buffer use and rates', () => {
    const m = new ProducerMetricsRecorder(0);
    m.appended(30, 3000, 500);
    m.requestSent([
      { recordCount: 10, sizeBytes: 1000 },
      { recordCount: 20, sizeBytes: 2000 },
    ]);
    const s = m.snapshot({ inFlight: 1, bufferUsed: 256, bufferLimit: 1024, waiting: 0 }, 1000);
    assert.equal(s.recordsSent, 30);
    assert.equal(s.recordsPerSecond, 30);
    assert.equal(s.bytesPerSecond, 3000);
    assert.deepEqual(s.batches, { count: 2, avgRecords: 15, maxRecords: 20, avgBytes: 1500, maxBytes: 2000 });
    assert.deepEqual(s.requests, { sent: 1, inFlight: 1 });
    assert.deepEqual(s.buffer, { usedBytes: 256, limitBytes: 1024, utilization: 0.25, waitingSends: 0 });
  });
});

describe('ConsumerMetricsRecorder', () => {
  it('computes lag per partition as high watermark minus position, for assigned partitions only', () => {
    const m = new ConsumerMetricsRecorder(0);
    m.position('a', 0, 90, 100, 10);
    m.position('a', 1, 50, 50, 10);
    m.position('b', 0, 5, 12, 10);
    let s = m.snapshot(() => true, 20);
    assert.deepEqual(
      s.lag.map((l) => [l.topic, l.partition, l.lag]),
      [
        ['a', 0, 10],
        ['a', 1, 0],
        ['b', 0, 7],
      ],
    );
    assert.equal(s.totalLag, 17);
    // A later batch of an older fetch never lowers the known high watermark.
    m.position('a', 0, 95, 98, 30);
    s = m.snapshot((topic) => topic === 'a', 40);
    assert.deepEqual(
      s.lag.map((l) => [l.topic, l.partition, l.highWatermark, l.lag]),
      [
        ['a', 0, 100, 5],
        ['a', 1, 50, 0],
      ],
    );
  });

  it('counts rebalances with the measured or the reported duration', () => {
    const m = new ConsumerMetricsRecorder(0);
    m.rebalanceStarted(1000);
    m.rebalanceStarted(1500); // a second "rebalancing" while one is under way keeps the first start
    assert.equal(m.snapshot(() => true, 1600).rebalances.inProgress, true);
    m.rebalanceEnded(undefined, 3000);
    m.rebalanceEnded(400, 5000);
    const r = m.snapshot(() => true, 6000).rebalances;
    assert.deepEqual(r, {
      count: 2,
      inProgress: false,
      lastDurationMs: 400,
      avgDurationMs: 1200,
      maxDurationMs: 2000,
    });
  });

  it('reports records, batches and handler counters', () => {
    const m = new ConsumerMetricsRecorder(0);
    m.batchStarted(4);
    m.batchStarted(2);
    m.processed(6, 500);
    m.commits = 2;
    m.deserializationErrors = 1;
    const s = m.snapshot(() => true, 2000);
    assert.equal(s.recordsConsumed, 6);
    assert.equal(s.recordsPerSecond, 3);
    assert.deepEqual(s.batches, { count: 2, avgRecords: 3, maxRecords: 4 });
    assert.deepEqual(s.commits, { count: 2, failed: 0 });
    assert.equal(s.deserializationErrors, 1);
  });
});

describe('ProducerMetricsRecorder throttle time', () => {
  it('averages every Produce response, unthrottled ones as 0, and keeps the maximum', () => {
    const m = new ProducerMetricsRecorder(0);
    const live = { inFlight: 0, bufferUsed: 0, bufferLimit: 1, waiting: 0 };
    assert.deepEqual(m.snapshot(live, 1).produceThrottleTime, { count: 0, totalMs: 0, avgMs: 0, maxMs: 0 });
    for (const ms of [0, 300, 0, 100]) m.responseThrottled(ms);
    m.responseThrottled(-5); // a nonsense value counts as not throttled
    assert.deepEqual(m.snapshot(live, 2).produceThrottleTime, {
      count: 5,
      totalMs: 400,
      avgMs: 80,
      maxMs: 300,
    });
  });
});

describe('ConsumerMetricsRecorder poll idle ratio', () => {
  it('is the share of each poll cycle spent waiting, and remembers the last poll', () => {
    const m = new ConsumerMetricsRecorder(0);
    assert.deepEqual(m.snapshot(() => true, 0).poll, {
      count: 0,
      idleRatioTotal: 0,
      idleRatioAvg: 0,
      lastPollAt: null,
    });
    m.pollStarted(1000);
    m.pollEnded(1200); // first poll: no handler time before it, all waiting
    // handlers ran 1200..1800, then the consumer waited 1800..2000: 200 of 1000 ms idle
    m.pollStarted(1800);
    m.pollEnded(2000);
    // handlers ran 2000..5800 and records were ready at once: 0 of 4000 ms idle
    m.pollStarted(5800);
    m.pollEnded(5800);
    const poll = m.snapshot(() => true, 6000).poll;
    assert.equal(poll.count, 3);
    assert.equal(poll.lastPollAt, 5800);
    assert.ok(Math.abs(poll.idleRatioTotal - 1.2) < 1e-9);
    assert.ok(Math.abs(poll.idleRatioAvg - 0.4) < 1e-9);
  });

  it('ignores an end without a start', () => {
    const m = new ConsumerMetricsRecorder(0);
    m.pollEnded(10);
    assert.equal(m.snapshot(() => true, 10).poll.count, 0);
  });
});
