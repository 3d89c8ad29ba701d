import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeValue, SEQ_DIGITS, seqOf, warmValue } from '../../../bench/lib/data.js';
import { consumeGate, DistinctOffsets, produceGate } from '../../../bench/lib/gate.js';
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
