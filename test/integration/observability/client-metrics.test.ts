/**
 * KIP-714 against a real Kafka 4.4 broker: a telemetry receiver plugin (test/java/telemetry,
 * compiled here against the broker's jars and registered as a metric.reporters class) records
 * every PushTelemetry payload; subscriptions are set through the admin API on the CLIENT_METRICS
 * resource, as `kafka-client-metrics.sh` does. The test decodes the OTLP payloads and checks
 * what an operator would: the subscribed names and only those, plausible values, the push
 * interval, delta sums, the terminating push on disconnect, and silence with enableMetricsPush:
 * false.
 *
 * Runs its own broker (the shared one has no receiver); 4.4 only, as the receiver is built
 * against 4.4's jars.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AlterConfigOpTypes, ConfigResourceTypes } from '../../../src/admin/enums.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { decodeMetricsData, type OtlpMetricsData } from '../../../src/telemetry/otlp.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { compileJava, GOLDEN_KAFKA_VERSION, kafkaLibs } from '../../helpers/java.js';

const INTERVAL_MS = 1000;
const PRODUCER_PREFIXES = [
  'org.apache.kafka.client.producer.node.',
  'org.apache.kafka.client.producer.connection.',
  'org.apache.kafka.client.producer.produce.throttle.',
  'org.apache.kafka.client.producer.partition.',
];
const CONSUMER_PREFIX = 'org.apache.kafka.client.consumer.';
const THROTTLE_PREFIX = 'org.apache.kafka.client.producer.produce.throttle.';

interface Push {
  receivedAt: number;
  instanceId: string;
  terminating: boolean;
  clientId: string;
  data: OtlpMetricsData;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('client metrics push (KIP-714) to a 4.4 broker with a telemetry receiver', () => {
  let cluster: KafkaCluster;
  let dir: string;
  let file: string;
  let kafka: (clientId: string, enableMetricsPush?: boolean) => Kafka;
  const topic = `client-metrics-${Date.now()}`;

  const pushes = (clientId: string): Push[] => {
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((line) => {
        const [at, instanceId, terminating, id, b64] = line.split(' ');
        return {
          receivedAt: Number(at),
          instanceId: instanceId!,
          terminating: terminating === 'true',
          clientId: id!,
          data: decodeMetricsData(Buffer.from(b64 ?? '', 'base64')),
        };
      })
      .filter((p) => p.clientId === clientId);
  };

  before(async () => {
    const libs = await kafkaLibs(GOLDEN_KAFKA_VERSION);
    const receiver = await compileJava(
      join(import.meta.dirname, '../../java/telemetry/KafkatsTelemetryReceiver.java'),
      libs,
      'kafkats-telemetry-receiver',
    );
    dir = await mkdtemp(join(tmpdir(), 'kafkats-client-metrics-'));
    file = join(dir, 'pushes.txt');
    cluster = await startKafka({
      version: GOLDEN_KAFKA_VERSION,
      heapMb: 384,
      startTimeoutMs: 480_000,
      extraClasspath: [receiver.classes],
      brokerProperties: { 'metric.reporters': 'KafkatsTelemetryReceiver', 'kafkats.telemetry.file': file },
      log: (l) => console.log(`[kafka] ${l}`),
    });
    kafka = (clientId, enableMetricsPush) =>
      new Kafka({ clientId, brokers: cluster.brokers, logLevel: logLevel.ERROR, enableMetricsPush });
    const admin = kafka('telemetry-admin').admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
    const subscribe = (name: string, metrics: string, clientId: string) => ({
      type: ConfigResourceTypes.CLIENT_METRICS,
      name,
      configEntries: [
        { name: 'metrics', value: metrics, operation: AlterConfigOpTypes.SET },
        { name: 'interval.ms', value: String(INTERVAL_MS), operation: AlterConfigOpTypes.SET },
        { name: 'match', value: `client_id=${clientId}`, operation: AlterConfigOpTypes.SET },
      ],
    });
    await admin.incrementalAlterConfigs({
      resources: [
        subscribe('kafkats-producer', PRODUCER_PREFIXES.join(','), 'telemetry-producer'),
        subscribe('kafkats-consumer', CONSUMER_PREFIX, 'telemetry-consumer'),
        subscribe('kafkats-off', 'org.apache.kafka.client.', 'telemetry-off'),
        subscribe('kafkats-throttled', THROTTLE_PREFIX, 'telemetry-throttled'),
      ],
    });
    await admin.disconnect();
    // The broker applies subscriptions from its metadata log; give it a moment before clients ask.
    await sleep(2000);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pushes the subscribed producer metrics every interval, as deltas, and a terminating push', {
    timeout: 300_000,
  }, async () => {
    const producer = kafka('telemetry-producer').producer();
    await producer.connect();
    let sent = 0;
    while (pushes('telemetry-producer').length < 4) {
      await producer.send({ topic, messages: [{ value: `m${sent++}` }] });
      await sleep(100);
      if (sent > 3000) throw new Error('no telemetry pushes arrived');
    }
    await producer.disconnect();
    await waitFor(() => pushes('telemetry-producer').some((p) => p.terminating), 'the terminating push');

    const all = pushes('telemetry-producer');
    assert.equal(new Set(all.map((p) => p.instanceId)).size, 1, 'one client instance id throughout');
    assert.equal(all.filter((p) => p.terminating).length, 1);
    assert.ok(all[all.length - 1]!.terminating, 'the terminating push is the last');

    const names = new Set(all.flatMap((p) => p.data.metrics.map((m) => m.name)));
    for (const name of names) {
      assert.ok(
        PRODUCER_PREFIXES.some((prefix) => name.startsWith(prefix)),
        `${name} was not subscribed to`,
      );
    }
    for (const expected of [
      'org.apache.kafka.client.producer.node.request.latency.avg',
      'org.apache.kafka.client.producer.node.request.latency.max',
      'org.apache.kafka.client.producer.connection.creation.total',
      'org.apache.kafka.client.producer.connection.creation.rate',
      'org.apache.kafka.client.producer.produce.throttle.time.avg',
      'org.apache.kafka.client.producer.produce.throttle.time.max',
    ]) {
      assert.ok(names.has(expected), `${expected} pushed (got ${[...names].join(', ')})`);
    }

    const metrics = all.flatMap((p) => p.data.metrics);
    // No quota is set on this broker: every Produce response said "not throttled".
    const throttle = metrics.filter((m) => m.name.includes('.produce.throttle.time.'));
    assert.ok(throttle.every((m) => m.points.every((pt) => pt.value === 0)));
    const latency = metrics.filter(
      (m) => m.name === 'org.apache.kafka.client.producer.node.request.latency.avg',
    );
    for (const m of latency) {
      for (const point of m.points) {
        assert.ok(point.value >= 0 && point.value < 60_000, `latency ${point.value} ms`);
        assert.equal(String(point.attributes?.node_id), String(cluster.nodes[0]!.nodeId));
      }
    }
    // The broker asks for delta temporality: the creation deltas add up to the connections opened.
    const creations = metrics.filter(
      (m) => m.name === 'org.apache.kafka.client.producer.connection.creation.total',
    );
    assert.ok(creations.every((m) => m.kind === 'sum' && m.temporality === 'delta'));
    const opened = creations.reduce((n, m) => n + m.points[0]!.value, 0);
    assert.ok(opened >= 1 && opened < 50, `connections opened: ${opened}`);

    // Per-partition metrics (KIP-714), labelled topic and partition: every record sent was
    // acknowledged on the topic's one partition, so the success deltas add up to `sent`.
    for (const expected of ['queue.count', 'queue.bytes', 'latency.avg', 'latency.max', 'record.success']) {
      const name = `org.apache.kafka.client.producer.partition.${expected}`;
      assert.ok(names.has(name), `${name} pushed`);
    }
    const byName = (suffix: string) =>
      metrics.filter((m) => m.name === `org.apache.kafka.client.producer.partition.${suffix}`);
    for (const m of [...byName('record.success'), ...byName('queue.count'), ...byName('latency.max')]) {
      for (const point of m.points) {
        assert.equal(String(point.attributes?.topic), topic);
        assert.equal(String(point.attributes?.partition), '0');
      }
    }
    assert.ok(byName('record.success').every((m) => m.kind === 'sum' && m.temporality === 'delta'));
    const succeeded = byName('record.success').reduce((n, m) => n + m.points[0]!.value, 0);
    assert.equal(succeeded, sent, `record.success deltas add up to the ${sent} records sent`);
    const failed = byName('record.failures').reduce((n, m) => n + (m.points[0]?.value ?? 0), 0);
    assert.equal(failed, 0, 'no record failed');
    for (const m of byName('latency.max')) {
      for (const point of m.points)
        assert.ok(point.value >= 0 && point.value < 60_000, `latency ${point.value} ms`);
    }

    assert.equal(all[0]!.data.resource.client_software_name, 'kafkats');
    assert.equal(all[0]!.data.resource.client_id, 'telemetry-producer');

    // Pushes follow the subscription's interval: never sooner than it (the broker would refuse).
    const regular = all.filter((p) => !p.terminating);
    for (let i = 1; i < regular.length; i++) {
      const gap = regular[i]!.receivedAt - regular[i - 1]!.receivedAt;
      assert.ok(gap >= INTERVAL_MS * 0.8, `push ${i} came ${gap} ms after the previous one`);
    }
  });

  it('pushes consumer metrics (commit and fetch latency) under the consumer subscription', {
    timeout: 300_000,
  }, async () => {
    const k = kafka('telemetry-consumer');
    const consumer = k.consumer({ groupId: `telemetry-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommitInterval: 200, eachMessage: async () => {} });
    const producer = kafka('telemetry-feeder', false).producer();
    await producer.connect();
    const has = (name: string) =>
      pushes('telemetry-consumer').some((p) => p.data.metrics.some((m) => m.name === name));
    try {
      let n = 0;
      while (!has('org.apache.kafka.client.consumer.coordinator.commit.latency.avg')) {
        await producer.send({ topic, messages: [{ value: `c${n++}` }] });
        await sleep(200);
        if (n > 1500) throw new Error('no commit latency pushed');
      }
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
    }
    const all = pushes('telemetry-consumer');
    const names = new Set(all.flatMap((p) => p.data.metrics.map((m) => m.name)));
    for (const name of names) assert.ok(name.startsWith(CONSUMER_PREFIX), `${name} was not subscribed to`);
    assert.ok(names.has('org.apache.kafka.client.consumer.fetch.manager.fetch.latency.avg'));
    assert.ok(names.has('org.apache.kafka.client.consumer.connection.creation.total'));
    // The consumer kept polling while it ran: a ratio in [0, 1], and a recent last poll.
    const pollMetric = (name: string) =>
      all.flatMap((p) => p.data.metrics).filter((m) => m.name === `${CONSUMER_PREFIX}${name}`);
    const idle = pollMetric('poll.idle.ratio.avg');
    const ago = pollMetric('poll.last.seconds.ago');
    assert.ok(idle.length > 0 && ago.length > 0, 'poll.idle.ratio.avg and poll.last.seconds.ago pushed');
    assert.ok(idle.every((m) => m.points.every((pt) => pt.value >= 0 && pt.value <= 1)));
    assert.ok(ago.every((m) => m.points.every((pt) => pt.value >= 0 && pt.value < 30)));
    const commit = all
      .flatMap((p) => p.data.metrics)
      .filter((m) => m.name === 'org.apache.kafka.client.consumer.coordinator.commit.latency.avg');
    assert.ok(commit.every((m) => m.points.every((pt) => pt.value >= 0 && pt.value < 60_000)));
    assert.equal(all[0]!.data.resource.group_id !== undefined, true);
    // The feeder had the push turned off: it never reached the receiver.
    assert.equal(pushes('telemetry-feeder').length, 0);
  });

  it('pushes the throttle time of a producer over its byte-rate quota', { timeout: 300_000 }, async () => {
    const admin = kafka('telemetry-admin').admin();
    await admin.connect();
    await admin.alterClientQuotas({
      entries: [
        { entity: { 'client-id': 'telemetry-throttled' }, ops: [{ key: 'producer_byte_rate', value: 4096 }] },
      ],
    });
    await admin.disconnect();
    const producer = kafka('telemetry-throttled').producer();
    await producer.connect();
    const value = Buffer.alloc(16_384, 1);
    const pushedMax = () =>
      pushes('telemetry-throttled')
        .flatMap((p) => p.data.metrics)
        .filter((m) => m.name === `${THROTTLE_PREFIX}time.max`)
        .reduce((max, m) => Math.max(max, ...m.points.map((pt) => pt.value)), 0);
    try {
      // The quota reaches the broker through its metadata log: send until it throttles us.
      for (let n = 0; producer.metrics().produceThrottleTime.maxMs === 0; n++) {
        await producer.send({ topic, messages: [{ value }] });
        if (n > 200) throw new Error('the broker never throttled the producer');
      }
      await waitFor(() => pushedMax() > 0, 'a pushed throttle time above 0');
    } finally {
      await producer.disconnect();
    }
    const m = producer.metrics().produceThrottleTime;
    assert.ok(m.count >= 1 && m.maxMs > 0 && m.avgMs > 0, JSON.stringify(m));
    assert.ok(pushedMax() <= m.maxMs, `pushed ${pushedMax()} ms, recorded at most ${m.maxMs} ms`);
  });

  it('sends nothing with enableMetricsPush: false, though a subscription matches', {
    timeout: 120_000,
  }, async () => {
    const producer = kafka('telemetry-off').producer({ enableMetricsPush: false });
    await producer.connect();
    for (let i = 0; i < 30; i++) {
      await producer.send({ topic, messages: [{ value: `off${i}` }] });
      await sleep(100);
    }
    await producer.disconnect();
    // A pushing client would have pushed within 1.5 intervals and once more on disconnect.
    assert.equal(pushes('telemetry-off').length, 0);
  });
});
