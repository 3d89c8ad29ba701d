/**
 * Spans and metrics for a real produce + consume: subscribes to the kafkats:* TracingChannels the
 * way an APM tool would, then checks what a user would look at in their tracing backend
 * (operation, destination, partition, offset, group) and in `metrics()`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from '../../../src/consumer/consumer.js';
import type { ConsumerCore } from '../../../src/consumer/core.js';
import { consumerMetrics } from '../../../src/consumer/runner.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import {
  commitChannel,
  consumeChannel,
  type OperationTraceContext,
  produceChannel,
  rebalanceChannel,
} from '../../../src/observability/channels.js';
import type { ConsumerMetricsSnapshot } from '../../../src/observability/metrics.js';
import type { Producer } from '../../../src/producer/producer.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { createTopic, waitFor } from '../consumer/helpers.js';

interface Span {
  channel: string;
  context: OperationTraceContext;
  startedAt: number;
  endedAt?: number;
  failed: boolean;
}

const spans: Span[] = [];
const unsubscribers: Array<() => void> = [];

function record(name: string, channel: typeof produceChannel) {
  const open = new WeakMap<object, Span>();
  const handlers = {
    end: () => {},
    asyncStart: () => {},
    start: (context: OperationTraceContext) => {
      const span: Span = { channel: name, context, startedAt: Date.now(), failed: false };
      open.set(context, span);
      spans.push(span);
    },
    error: (context: OperationTraceContext) => {
      const s = open.get(context);
      if (s) s.failed = true;
    },
    asyncEnd: (context: OperationTraceContext) => {
      const s = open.get(context);
      if (s) s.endedAt = Date.now();
    },
  };
  channel.subscribe(handlers);
  unsubscribers.push(() => channel.unsubscribe(handlers));
}

/** consumer.metrics() once the consumer exposes it; the runner's snapshot until then. */
function metricsOf(consumer: Consumer): ConsumerMetricsSnapshot {
  const withMetrics = consumer as unknown as { metrics?: () => ConsumerMetricsSnapshot };
  if (typeof withMetrics.metrics === 'function') return withMetrics.metrics();
  return consumerMetrics((consumer as unknown as { core: ConsumerCore }).core);
}

describe('observability against a real broker', () => {
  const kafka = new Kafka({
    clientId: 'kafkats-observability-test',
    brokers: testCluster().brokers,
    logLevel: logLevel.WARN,
  });
  const topic = uniqueTopicName('observability');
  const groupId = `${topic}-group`;
  let producer: Producer;
  let consumer: Consumer;

  before(async () => {
    await createTopic(topic, 2);
    record('produce', produceChannel);
    record('consume', consumeChannel);
    record('commit', commitChannel);
    record('rebalance', rebalanceChannel);
  });

  after(async () => {
    for (const u of unsubscribers) u();
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
  });

  it('traces sends and reports producer metrics', async () => {
    producer = kafka.producer({ lingerMs: 20 });
    await producer.connect();
    const messages = Array.from({ length: 20 }, (_, i) => ({
      key: `k-${i}`,
      value: `v-${i}`,
      partition: i % 2,
    }));
    await producer.send({ topic, messages });
    const [single] = await producer.send({ topic, messages: [{ key: 'only', value: 'one' }] });

    const produced = spans.filter((s) => s.channel === 'produce');
    assert.equal(produced.length, 2);
    assert.ok(produced.every((s) => s.endedAt !== undefined && !s.failed));
    assert.deepEqual(produced[0]!.context.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      'messaging.batch.message_count': 20,
    });
    const one = produced[1]!.context.attributes;
    assert.equal(one['messaging.kafka.message.key'], 'only');
    assert.equal(one['messaging.destination.partition.id'], String(single!.partition));

    const m = producer.metrics();
    assert.equal(m.recordsSent, 21);
    assert.ok(m.recordsPerSecond > 0);
    // 20 records over 2 partitions in one linger window: 2 batches of 10, then the single record.
    assert.equal(m.batches.maxRecords, 10);
    assert.equal(m.batches.count, 3);
    assert.equal(m.requests.inFlight, 0);
    assert.equal(m.buffer.usedBytes, 0);
    assert.equal(m.sendErrors, 0);
  });

  it('traces each handler call, commits and the join, and reports consumer metrics', async () => {
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        seen.push(`${partition}:${message.offset}`);
      },
    });
    await waitFor(() => seen.length >= 21, 60_000, '21 records');
    await waitFor(() => metricsOf(consumer).commits.count > 0, 15_000, 'a commit');

    const consumed = spans.filter((s) => s.channel === 'consume');
    assert.equal(consumed.length, 21);
    const first = consumed.find((s) => s.context.attributes['messaging.kafka.message.key'] === 'k-0')!;
    assert.deepEqual(first.context.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': '0',
      'messaging.consumer.group.name': groupId,
      'messaging.kafka.offset': 0,
      'messaging.kafka.message.key': 'k-0',
    });
    assert.ok(consumed.every((s) => s.endedAt !== undefined && !s.failed));

    const commits = spans.filter((s) => s.channel === 'commit');
    assert.ok(commits.length >= 1);
    assert.equal(commits[0]!.context.attributes['messaging.operation.type'], 'settle');
    assert.equal(commits[0]!.context.attributes['messaging.consumer.group.name'], groupId);

    const rebalances = spans.filter((s) => s.channel === 'rebalance');
    assert.ok(rebalances.length >= 1, 'the first join is a rebalance span');
    assert.equal(rebalances[0]!.context.name, `rebalance ${groupId}`);
    assert.ok(rebalances[0]!.endedAt !== undefined);

    const m = metricsOf(consumer);
    assert.equal(m.recordsConsumed, 21);
    assert.ok(m.batches.count >= 2 && m.batches.maxRecords <= 11);
    assert.deepEqual(
      m.lag.map((l) => [l.partition, l.highWatermark, l.position, l.lag]),
      [
        [0, 10 + (single0(seen) ? 1 : 0), 10 + (single0(seen) ? 1 : 0), 0],
        [1, 10 + (single0(seen) ? 0 : 1), 10 + (single0(seen) ? 0 : 1), 0],
      ],
    );
    assert.equal(m.totalLag, 0);
    assert.ok(m.rebalances.count >= 1);
    assert.ok(m.rebalances.lastDurationMs > 0);
    assert.equal(m.inFlightHandlers, 0);
  });
});

describe('observability of a classic group', () => {
  const kafka = new Kafka({
    clientId: 'kafkats-observability-classic',
    brokers: testCluster().brokers,
    logLevel: logLevel.WARN,
  });
  const topic = uniqueTopicName('observability-classic');
  let consumer: Consumer | undefined;
  const joins: OperationTraceContext[] = [];
  const handlers = {
    start: () => {},
    end: () => {},
    asyncStart: () => {},
    error: () => {},
    asyncEnd: (c: OperationTraceContext) => joins.push(c),
  };

  after(async () => {
    rebalanceChannel.unsubscribe(handlers);
    await consumer?.disconnect().catch(() => {});
  });

  it('measures the JoinGroup/SyncGroup rebalance and the lag of a partition it has not caught up on', async () => {
    await createTopic(topic, 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    rebalanceChannel.subscribe(handlers);
    consumer = kafka.consumer({ groupId: `${topic}-group`, groupProtocol: 'classic', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let handled = 0;
    await consumer.run({
      eachMessage: async ({ pause }) => {
        handled++;
        // Stop after the first record: the rest of the partition is lag.
        if (handled === 1) pause();
      },
    });
    await waitFor(() => handled >= 1 && metricsOf(consumer!).lag.length === 1, 30_000, 'the first record');
    const m = metricsOf(consumer);
    assert.equal(m.rebalances.count, 1);
    assert.ok(m.rebalances.lastDurationMs > 0);
    assert.deepEqual(
      m.lag.map((l) => [l.partition, l.highWatermark, l.position, l.lag]),
      [[0, 5, 1, 4]],
    );
    assert.equal(m.totalLag, 4);
    assert.equal(joins.length, 1);
    assert.equal(joins[0]!.attributes['messaging.consumer.group.name'], `${topic}-group`);
    assert.equal(joins[0]!.attributes['kafkats.rebalance.assigned_partitions'], 1);
  });
});

/** Whether the single keyed record of the first test went to partition 0 (its offset 10 was seen there). */
function single0(seen: string[]): boolean {
  return seen.includes('0:10');
}
