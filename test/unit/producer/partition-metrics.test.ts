import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProducerMetricsRecorder } from '../../../src/observability/metrics.js';
import { KafkaJSDeliveryTimeoutError } from '../../../src/producer/errors.js';
import type { Producer } from '../../../src/producer/producer.js';
import {
  type MetricSample,
  PRODUCER_METRIC_PREFIX,
  ProducerSampler,
} from '../../../src/telemetry/client-metrics.js';
import { NetworkStats } from '../../../src/telemetry/network-stats.js';
import { FakeBroker, producerOn } from './fake-broker.js';

const msgs = (n: number, partition: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ value: `v${from + i}`, partition }));

function partitionOf(p: Producer, partition: number) {
  const found = p.metrics().partitions.find((m) => m.topic === 't' && m.partition === partition);
  assert.ok(found, `partition ${partition} in metrics().partitions`);
  return found;
}

describe('producer per-partition metrics (KIP-714 partition.*)', () => {
  it('counts acknowledged, retried and failed records per partition', async () => {
    const broker = new FakeBroker('t', 2);
    broker.failOnce(Object.assign(new Error('socket closed'), { retriable: true }), 1);
    const p = producerOn(broker, { deliveryTimeout: 200 });
    await p.connect();
    await p.send({ topic: 't', messages: msgs(7, 0) });
    await p.send({ topic: 't', messages: msgs(3, 1) });
    const p0 = partitionOf(p, 0);
    const p1 = partitionOf(p, 1);
    assert.deepEqual(
      [p0.recordsSucceeded, p0.recordsRetried, p0.recordsFailed],
      [7, 0, 0],
      'partition 0: 7 acknowledged, none retried or failed',
    );
    assert.deepEqual(
      [p1.recordsSucceeded, p1.recordsRetried, p1.recordsFailed],
      [3, 3, 0],
      'partition 1: its 3-record batch retried once, then acknowledged',
    );
    assert.equal(p0.latency.count, 1);
    assert.ok(p0.latency.maxMs >= 0 && p0.latency.totalMs >= 0);
    assert.deepEqual([p0.queuedRecords, p0.queuedBytes], [0, 0], 'nothing waits once sends resolved');

    broker.inject = (_t, partition) => (partition === 0 ? 19 /* NOT_ENOUGH_REPLICAS, forever */ : undefined);
    await assert.rejects(p.send({ topic: 't', messages: msgs(2, 0, 100) }), KafkaJSDeliveryTimeoutError);
    const after = partitionOf(p, 0);
    assert.equal(after.recordsFailed, 2, 'the 2 records that timed out are failures');
    assert.equal(after.recordsSucceeded, 7);
    assert.ok(after.recordsRetried >= 2, `retries counted before the timeout: ${after.recordsRetried}`);
    broker.inject = undefined;
    await p.disconnect();
  });
});

describe('ProducerSampler partition.* samples', () => {
  const name = (s: string) => `${PRODUCER_METRIC_PREFIX}partition.${s}`;
  const of = (samples: MetricSample[], n: string, partition: string) =>
    samples.find((s) => s.name === name(n) && s.attributes?.partition === partition);

  it('labels each partition with topic and partition; latency averages the batches since the last push', () => {
    const recorder = new ProducerMetricsRecorder(0);
    const sampler = new ProducerSampler(new NetworkStats(undefined, 0), () => undefined);
    const part = (succeeded: number, count: number, totalMs: number, maxMs: number) => ({
      topic: 'orders',
      partition: 3,
      queuedRecords: 5,
      queuedBytes: 640,
      recordsSucceeded: succeeded,
      recordsFailed: 1,
      recordsRetried: 2,
      latency: { count, totalMs, maxMs },
    });
    const live = (partitions: ReturnType<typeof part>[]) => ({
      inFlight: 0,
      bufferUsed: 0,
      bufferLimit: 1,
      waiting: 0,
      partitions,
    });

    let samples = sampler.sample(recorder.snapshot(live([part(10, 2, 30, 20)]), 1000), 1000);
    assert.deepEqual(of(samples, 'queue.count', '3')?.attributes, { topic: 'orders', partition: '3' });
    assert.equal(of(samples, 'queue.count', '3')?.value, 5);
    assert.equal(of(samples, 'queue.bytes', '3')?.value, 640);
    assert.equal(of(samples, 'record.success', '3')?.kind, 'sum');
    assert.equal(of(samples, 'record.success', '3')?.value, 10);
    assert.equal(of(samples, 'record.failures', '3')?.value, 1);
    assert.equal(of(samples, 'record.retries', '3')?.value, 2);
    assert.equal(of(samples, 'latency.avg', '3')?.value, 15);
    assert.equal(of(samples, 'latency.max', '3')?.value, 20);

    samples = sampler.sample(recorder.snapshot(live([part(12, 3, 70, 40)]), 2000), 2000);
    assert.equal(
      of(samples, 'latency.avg', '3')?.value,
      40,
      'only the batch acknowledged since the last push',
    );
    assert.equal(of(samples, 'latency.max', '3')?.value, 40);

    samples = sampler.sample(recorder.snapshot(live([part(12, 3, 70, 40)]), 3000), 3000);
    assert.equal(of(samples, 'latency.avg', '3'), undefined, 'no latency when no batch was acknowledged');
    assert.equal(
      of(samples, 'record.success', '3')?.value,
      12,
      'sums stay cumulative here (the reporter takes deltas)',
    );
  });
});
