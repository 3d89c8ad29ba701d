import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dataset, makeValue, SEQ_DIGITS, seqOf, warmValue } from '../../../bench/lib/data.js';
import { E2eReceiver, SATURATION_MS } from '../../../bench/lib/e2e.js';
import { consumeGate, DistinctOffsets, e2eGate, produceGate } from '../../../bench/lib/gate.js';
import { settingsOf } from '../../../bench/lib/settings.js';
import {
  LatencyRecorder,
  latencySummary,
  pairedRatio,
  percentile,
  rotated,
  scheduledAt,
} from '../../../bench/lib/stats.js';

describe('bench: latency percentiles with coordinated-omission correction', () => {
  it('counts a stall in every record scheduled during it, not only the one that hit it', () => {
    // 1,000 records/s; the sender stalls 100 ms at record 0 and then catches up at once.
    const rate = 1000;
    const r = new LatencyRecorder(200);
    for (let i = 0; i < 200; i++) {
      const sentAt = Math.max(100, scheduledAt(i, 0, rate)); // nothing leaves before t=100
      r.addScheduled(i, 0, rate, sentAt + 1); // 1 ms transit
    }
    const s = r.summary();
    // From the actual send every record would show 1 ms; from the schedule half of them waited.
    assert.equal(s.maxMs, 101);
    assert.ok(s.p50Ms >= 1 && s.p50Ms <= 2, `p50 ${s.p50Ms}`);
    assert.ok(s.p99Ms > 90, `p99 ${s.p99Ms}`);
  });

  it('gives nearest-rank p50 / p99 / p99.9 / max', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1); // 1 … 1000, shuffled below
    values.reverse();
    const s = latencySummary(values);
    assert.deepEqual(s, { p50Ms: 500, p99Ms: 990, p999Ms: 999, maxMs: 1000 });
    assert.equal(percentile(new Float64Array([5]), 99.9), 5);
    assert.ok(Number.isNaN(latencySummary([]).p99Ms));
  });
});

describe('bench: paired ratios and rotation', () => {
  it('pairs rounds, skips unpaired ones, and reports median and min–max', () => {
    const ours = new Map([
      [1, 300],
      [2, 200],
      [3, 400],
      [4, 100],
    ]);
    const theirs = new Map([
      [1, 100],
      [2, 100],
      [3, 100],
    ]);
    assert.deepEqual(pairedRatio(ours, theirs), { median: 3, min: 2, max: 4, pairs: 3 });
    assert.equal(pairedRatio(ours, new Map()), undefined);
  });

  it('rotates the client order by one place per round', () => {
    const c = ['a', 'b', 'c'];
    assert.deepEqual(rotated(c, 1), ['a', 'b', 'c']);
    assert.deepEqual(rotated(c, 2), ['b', 'c', 'a']);
    assert.deepEqual(rotated(c, 4), ['a', 'b', 'c']);
  });
});

describe('bench: verification gates', () => {
  const good = {
    expected: 1100,
    acked: 1000,
    failedSends: 0,
    endOffsetsSum: 1100,
    sampleRead: 1000,
    sampleDuplicates: 0,
    sampleForeign: 0,
    dataRecords: 1000,
  };

  it('passes a produce run whose offsets and read-back agree', () => {
    assert.equal(produceGate(good).verified, true);
  });

  it('fails lost, doubled, failed or foreign records', () => {
    assert.match(produceGate({ ...good, endOffsetsSum: 1099 }).detail, /end offsets sum to 1099/);
    assert.match(produceGate({ ...good, endOffsetsSum: 1101, sampleDuplicates: 1 }).detail, /1 duplicate/);
    assert.equal(produceGate({ ...good, failedSends: 1000, acked: 0 }).verified, false);
    assert.equal(produceGate({ ...good, sampleForeign: 2 }).verified, false);
    assert.equal(produceGate({ ...good, sampleRead: 0 }).verified, false);
  });

  it('passes a consumer that saw every record, reporting duplicates apart', () => {
    assert.deepEqual(consumeGate({ expected: 10, distinct: 10, duplicates: 3 }), {
      verified: true,
      detail: '10 distinct records, 3 duplicate deliveries',
    });
    assert.equal(consumeGate({ expected: 10, distinct: 9, duplicates: 1 }).verified, false);
  });

  it('fails an e2e run with a failed send, and passes a saturated one while saying so', () => {
    const facts = {
      expected: 10_000,
      distinct: 10_000,
      duplicates: 0,
      failedSends: 0,
      rate: 10_000,
      seconds: 1,
    };
    assert.deepEqual(e2eGate(facts), { verified: true, detail: '10000 distinct records' });
    assert.equal(e2eGate({ ...facts, failedSends: 1 }).verified, false);
    const saturated = e2eGate({
      ...facts,
      distinct: 9_000,
      seconds: 6,
      saturated: { received: 9_000, behindMs: 5_012 },
    });
    assert.equal(saturated.verified, true);
    assert.match(
      saturated.detail,
      /^saturated: 5\.0 s behind the schedule after 6\.0 s, 9000 records in .* 1,500 msgs\/s delivered of 10,000 due/,
    );
  });

  it('counts distinct (partition, offset) pairs', () => {
    const d = new DistinctOffsets();
    for (const [p, o] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [0, 1],
      [0, 100_000],
    ] as const) {
      d.add(p, o);
    }
    assert.equal(d.distinct, 4);
    assert.equal(d.duplicates, 1);
  });
});

describe('bench: data set', () => {
  it('builds distinct, exact-size, JSON-shaped values that carry their sequence number', () => {
    for (const size of [100, 1024, 10_240]) {
      const a = makeValue(41, size);
      const b = makeValue(42, size);
      assert.equal(a.length, size);
      assert.notDeepEqual(a.subarray(SEQ_DIGITS + 8), b.subarray(SEQ_DIGITS + 8));
      assert.equal(seqOf(a), 41);
      assert.equal(a.toString('latin1').at(-1), '}');
      assert.deepEqual(makeValue(41, size), a); // seeded: every client sends the same bytes
    }
    assert.equal(seqOf(warmValue(100)), undefined);
  });

  it('states where a client cannot take the equal settings', () => {
    assert.equal(settingsOf('java', 'fair', 'none', 'java').batchSize, 262_144);
    assert.equal(settingsOf('java', 'own', 'none', 'java').batchSize, 16_384);
    assert.match(String(settingsOf('kafkajs', 'fair', 'none', 'node').batchSize), /none/);
  });
});

describe('bench: e2e receiver', () => {
  const data = Dataset.build(0, 100, 128);
  const rate = 1000; // record i is due at i ms

  it('counts each record once, from its scheduled time, and ends when all arrived', async () => {
    const rx = new E2eReceiver(data, 100, rate);
    rx.receive(warmValue(128), 0);
    await rx.warm;
    rx.begin(0);
    for (let i = 0; i < 100; i++) rx.receive(data.value(i), i + 2); // 2 ms each
    rx.receive(data.value(7), 200); // a redelivery
    assert.equal(rx.stopped, true);
    await rx.wait();
    const r = rx.result(0);
    assert.equal(r.count, 100);
    assert.equal(r.duplicates, 1);
    assert.equal(r.p99Ms, 2);
    assert.equal(r.saturated, undefined);
  });

  it('stops as saturated at a record more than SATURATION_MS late, even in a run shorter than that', () => {
    const rx = new E2eReceiver(data, 100, rate); // 100 records due over 0.1 s
    rx.begin(0);
    rx.receive(data.value(0), 10);
    assert.equal(rx.stopped, false);
    rx.receive(data.value(1), 6_001); // 6 s late, though only 100 records (0.1 s) were ever due
    assert.equal(rx.stopped, true);
    const r = rx.result(0);
    assert.deepEqual(r.saturated, { received: 2, behindMs: 6_000 });
    assert.equal(r.p99Ms, undefined);
  });

  it('stops as saturated once the schedule, warm-up included, is more than SATURATION_MS ahead', async () => {
    const slow = new E2eReceiver(data, 100, 10); // 10 msgs/s: 5 s is 50 records
    slow.warmUp(100, 0);
    slow.begin(10_000);
    // The client delivers the first 20 warm-up records, then nothing.
    for (let t = 0; t < 2_000; t += 100) slow.receive(warmValue(128), t);
    let now = 2_000;
    for (; !slow.stopped; now += 100) slow.check(now);
    // 71 due and 20 received at 7,100 ms is 5.1 s behind: the first check past 5 s.
    assert.equal(now - 100, 7_100);
    const r = slow.result(0);
    assert.equal(r.p99Ms, undefined);
    assert.deepEqual(r.saturated, { received: 20, behindMs: 5_100 });
    assert.equal(r.count, 20);
    assert.equal(r.seconds, 7.1);
    assert.equal(SATURATION_MS, 5_000);
  });
});
