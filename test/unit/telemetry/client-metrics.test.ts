import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsumerMetricsRecorder, ProducerMetricsRecorder } from '../../../src/observability/metrics.js';
import {
  CONSUMER_METRIC_PREFIX,
  ConsumerSampler,
  type MetricSample,
  PRODUCER_METRIC_PREFIX,
  ProducerSampler,
} from '../../../src/telemetry/client-metrics.js';
import { NetworkStats } from '../../../src/telemetry/network-stats.js';

const live = { inFlight: 0, bufferUsed: 0, bufferLimit: 1, waiting: 0 };
const noNode = () => undefined;

function value(samples: MetricSample[], name: string): number | undefined {
  return samples.find((s) => s.name === name)?.value;
}

describe('ProducerSampler produce.throttle.time', () => {
  const avg = `${PRODUCER_METRIC_PREFIX}produce.throttle.time.avg`;
  const max = `${PRODUCER_METRIC_PREFIX}produce.throttle.time.max`;

  it('averages the responses since the previous push; absent when none arrived', () => {
    const m = new ProducerMetricsRecorder(0);
    const sampler = new ProducerSampler(new NetworkStats(undefined, 0), noNode);
    let samples = sampler.sample(m.snapshot(live, 1000), 1000);
    assert.equal(value(samples, avg), undefined);
    assert.equal(value(samples, max), undefined);

    m.responseThrottled(0);
    m.responseThrottled(200);
    samples = sampler.sample(m.snapshot(live, 2000), 2000);
    assert.equal(value(samples, avg), 100);
    assert.equal(value(samples, max), 200);

    m.responseThrottled(50);
    samples = sampler.sample(m.snapshot(live, 3000), 3000);
    assert.equal(value(samples, avg), 50); // only the response since the last push
    assert.equal(value(samples, max), 200);
    assert.equal(samples.find((s) => s.name === avg)?.unit, 'ms');

    samples = sampler.sample(m.snapshot(live, 4000), 4000);
    assert.equal(value(samples, avg), undefined);
  });
});

describe('ConsumerSampler poll metrics', () => {
  const idle = `${CONSUMER_METRIC_PREFIX}poll.idle.ratio.avg`;
  const ago = `${CONSUMER_METRIC_PREFIX}poll.last.seconds.ago`;

  it('pushes the idle ratio of the polls since the previous push and the seconds since the last poll', () => {
    const m = new ConsumerMetricsRecorder(0);
    const sampler = new ConsumerSampler(new NetworkStats(undefined, 0), noNode);
    let samples = sampler.sample(
      m.snapshot(() => true, 500),
      500,
    );
    assert.equal(value(samples, idle), undefined); // never polled: nothing to report
    assert.equal(value(samples, ago), undefined);

    m.pollStarted(1000);
    m.pollEnded(1100); // ratio 1
    m.pollStarted(1500);
    m.pollEnded(1600); // 100 of 600 ms
    samples = sampler.sample(
      m.snapshot(() => true, 4000),
      4000,
    );
    assert.ok(Math.abs(value(samples, idle)! - (1 + 1 / 6) / 2) < 1e-9);
    assert.equal(value(samples, ago), 2.5);

    m.pollStarted(5600);
    m.pollEnded(5600); // handlers ran 1600..5600, no wait: ratio 0
    samples = sampler.sample(
      m.snapshot(() => true, 7600),
      7600,
    );
    assert.equal(value(samples, idle), 0);
    assert.equal(value(samples, ago), 2);
    assert.equal(samples.find((s) => s.name === ago)?.unit, 's');

    // A consumer stuck in a handler: no new poll, the ratio is not pushed, the age grows.
    samples = sampler.sample(
      m.snapshot(() => true, 17_600),
      17_600,
    );
    assert.equal(value(samples, idle), undefined);
    assert.equal(value(samples, ago), 12);
  });
});
