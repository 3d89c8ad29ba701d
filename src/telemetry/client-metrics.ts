/**
 * The KIP-714 standard client metrics kafkats can measure, named as the KIP names them
 * (`org.apache.kafka.client.producer.*`, `org.apache.kafka.client.consumer.*`), computed from
 * the clients' metric snapshots and the network events. Averages and maxima of latencies cover
 * the time since the previous push; `*.total` metrics are sums (counters).
 */
import type {
  ConsumerMetricsSnapshot,
  ProducerMetricsSnapshot,
  ProducerPartitionMetrics,
} from '../observability/metrics.js';
import type { IntervalStat, NetworkStats } from './network-stats.js';
import type { AttributeValue } from './otlp.js';

export const PRODUCER_METRIC_PREFIX = 'org.apache.kafka.client.producer.';
export const CONSUMER_METRIC_PREFIX = 'org.apache.kafka.client.consumer.';

/** One value of one metric, before subscription filtering and temporality. */
export interface MetricSample {
  name: string;
  kind: 'gauge' | 'sum';
  value: number;
  unit?: string;
  description?: string;
  attributes?: Record<string, AttributeValue>;
}

/** Maps a broker address to its node id (the `node_id` attribute); undefined when unknown. */
export type NodeIdOf = (address: string) => number | undefined;

function latency(
  prefix: string,
  name: string,
  stat: IntervalStat | undefined,
  description: string,
  attributes?: Record<string, AttributeValue>,
): MetricSample[] {
  const w = stat?.take();
  if (w === undefined) return [];
  return [
    {
      name: `${prefix}${name}.avg`,
      kind: 'gauge',
      value: w.avg,
      unit: 'ms',
      ...(attributes ? { attributes } : {}),
      description: `${description} (average)`,
    },
    {
      name: `${prefix}${name}.max`,
      kind: 'gauge',
      value: w.max,
      unit: 'ms',
      ...(attributes ? { attributes } : {}),
      description: `${description} (maximum)`,
    },
  ];
}

/** connection.creation.rate/total and node.request.latency.avg/max (per node). */
function networkSamples(prefix: string, net: NetworkStats, nodeIdOf: NodeIdOf, now: number): MetricSample[] {
  const out: MetricSample[] = [
    {
      name: `${prefix}connection.creation.rate`,
      kind: 'gauge',
      value: net.connectionRate(now),
      unit: '1/s',
      description: 'New connections per second',
    },
    {
      name: `${prefix}connection.creation.total`,
      kind: 'sum',
      value: net.connectionsCreated,
      description: 'Connections opened',
    },
  ];
  for (const [broker, stat] of net.latencyByBroker) {
    const node = nodeIdOf(broker);
    const attributes = { node_id: node === undefined ? broker : String(node) };
    out.push(...latency(prefix, 'node.request.latency', stat, 'Request latency to the node', attributes));
  }
  return out;
}

/**
 * `<name>.avg` over what was measured since the last push and `<name>.max` since start; nothing
 * when nothing was measured in between (record queue time, produce throttle time).
 */
function intervalAvgMax(
  name: string,
  now: { count: number; totalMs: number; maxMs: number },
  last: { count: number; totalMs: number },
  what: string,
  attributes?: Record<string, AttributeValue>,
): MetricSample[] {
  const n = now.count - last.count;
  if (n <= 0) return [];
  return [
    {
      name: `${name}.avg`,
      kind: 'gauge',
      value: (now.totalMs - last.totalMs) / n,
      unit: 'ms',
      description: `${what} (average)`,
      ...(attributes ? { attributes } : {}),
    },
    {
      name: `${name}.max`,
      kind: 'gauge',
      value: now.maxMs,
      unit: 'ms',
      description: `${what} (maximum since the producer started)`,
      ...(attributes ? { attributes } : {}),
    },
  ];
}

/** The numeric fields of a partition's metrics, which a table row can name. */
type PartitionField = {
  [K in keyof ProducerPartitionMetrics]: ProducerPartitionMetrics[K] extends number ? K : never;
}[keyof ProducerPartitionMetrics];

/** A per-partition metric read straight off one field of the partition's metrics. */
interface PartitionMetric {
  /** The name after the prefix. */
  name: string;
  kind: MetricSample['kind'];
  field: PartitionField;
  description: string;
  unit?: string;
}

/**
 * KIP-714's per-partition producer metrics that copy one field: the queue (gauges, now) and
 * the records' outcomes (sums since start; the reporter takes deltas). A new one is one row.
 */
const PARTITION_METRICS: readonly PartitionMetric[] = [
  {
    name: 'partition.queue.count',
    kind: 'gauge',
    field: 'queuedRecords',
    description: 'Records waiting in the partition queue',
  },
  {
    name: 'partition.queue.bytes',
    kind: 'gauge',
    field: 'queuedBytes',
    unit: 'bytes',
    description: 'Bytes waiting in the partition queue',
  },
  {
    name: 'partition.record.success',
    kind: 'sum',
    field: 'recordsSucceeded',
    description: 'Records acknowledged',
  },
  {
    name: 'partition.record.failures',
    kind: 'sum',
    field: 'recordsFailed',
    description: 'Records whose delivery failed',
  },
  {
    name: 'partition.record.retries',
    kind: 'sum',
    field: 'recordsRetried',
    description: 'Records sent again after a retriable failure',
  },
];

/**
 * KIP-714's per-partition producer metrics, labelled `topic` and `partition`: the rows of
 * PARTITION_METRICS, then the latency from a batch's creation to its acknowledgement
 * (`partition.latency.avg` since the last push, `.max` since start), which needs two readings.
 */
function partitionSamples(
  prefix: string,
  partitions: readonly ProducerPartitionMetrics[],
  lastLatency: Map<string, { count: number; totalMs: number }>,
): MetricSample[] {
  const out: MetricSample[] = [];
  for (const p of partitions) {
    // Strings, as Java sends its metric tags.
    const attributes = { topic: p.topic, partition: String(p.partition) };
    for (const m of PARTITION_METRICS)
      out.push({
        name: `${prefix}${m.name}`,
        kind: m.kind,
        value: p[m.field],
        ...(m.unit ? { unit: m.unit } : {}),
        attributes,
        description: m.description,
      });
    const key = `${p.topic}\0${p.partition}`;
    out.push(
      ...intervalAvgMax(
        `${prefix}partition.latency`,
        p.latency,
        lastLatency.get(key) ?? { count: 0, totalMs: 0 },
        "Latency from a batch's creation to its acknowledgement",
        attributes,
      ),
    );
    lastLatency.set(key, { count: p.latency.count, totalMs: p.latency.totalMs });
  }
  return out;
}

/** Remembers counters between pushes, for values derived from two snapshots. */
export class ProducerSampler {
  private lastQueue = { count: 0, totalMs: 0 };
  private lastThrottle = { count: 0, totalMs: 0 };
  private readonly lastPartitionLatency = new Map<string, { count: number; totalMs: number }>();

  constructor(
    private readonly net: NetworkStats,
    private readonly nodeIdOf: NodeIdOf,
  ) {}

  sample(snapshot: ProducerMetricsSnapshot, now = Date.now()): MetricSample[] {
    const p = PRODUCER_METRIC_PREFIX;
    const out = networkSamples(p, this.net, this.nodeIdOf, now);
    out.push(
      ...intervalAvgMax(
        `${p}record.queue.time`,
        snapshot.recordQueueTime,
        this.lastQueue,
        'Time batches spent in the send buffer',
      ),
    );
    this.lastQueue = { count: snapshot.recordQueueTime.count, totalMs: snapshot.recordQueueTime.totalMs };
    out.push(
      ...latency(
        p,
        'produce.request.latency',
        this.net.latencyByApi.get('Produce'),
        'Produce request latency',
      ),
    );
    out.push(
      ...intervalAvgMax(
        `${p}produce.throttle.time`,
        snapshot.produceThrottleTime,
        this.lastThrottle,
        'Time the broker throttled Produce requests',
      ),
    );
    this.lastThrottle = {
      count: snapshot.produceThrottleTime.count,
      totalMs: snapshot.produceThrottleTime.totalMs,
    };
    out.push({
      name: `${p}record.send.total`,
      kind: 'sum',
      value: snapshot.recordsSent,
      description: 'Records sent',
    });
    out.push(...partitionSamples(p, snapshot.partitions ?? [], this.lastPartitionLatency));
    return out;
  }
}

export class ConsumerSampler {
  private lastPoll = { count: 0, idleRatioTotal: 0 };

  constructor(
    private readonly net: NetworkStats,
    private readonly nodeIdOf: NodeIdOf,
  ) {}

  sample(snapshot: ConsumerMetricsSnapshot, now = Date.now()): MetricSample[] {
    const c = CONSUMER_METRIC_PREFIX;
    const out = networkSamples(c, this.net, this.nodeIdOf, now);
    out.push(
      ...latency(
        c,
        'coordinator.commit.latency',
        this.net.latencyByApi.get('OffsetCommit'),
        'Offset commit latency',
      ),
      ...latency(
        c,
        'fetch.manager.fetch.latency',
        this.net.latencyByApi.get('Fetch'),
        'Fetch request latency',
      ),
    );
    const poll = snapshot.poll;
    const polls = poll.count - this.lastPoll.count;
    if (polls > 0)
      out.push({
        name: `${c}poll.idle.ratio.avg`,
        kind: 'gauge',
        value: (poll.idleRatioTotal - this.lastPoll.idleRatioTotal) / polls,
        description: 'Share of the time the consumer waited for records rather than ran handlers (average)',
      });
    this.lastPoll = { count: poll.count, idleRatioTotal: poll.idleRatioTotal };
    if (poll.lastPollAt !== null)
      out.push({
        name: `${c}poll.last.seconds.ago`,
        kind: 'gauge',
        value: Math.max(0, now - poll.lastPollAt) / 1000,
        unit: 's',
        description: 'Seconds since the consumer last polled for records',
      });
    const r = snapshot.rebalances;
    out.push(
      {
        name: `${c}coordinator.rebalance.latency.total`,
        kind: 'sum',
        value: r.count * r.avgDurationMs,
        unit: 'ms',
        description: 'Time spent rebalancing',
      },
      {
        name: `${c}coordinator.rebalance.latency.avg`,
        kind: 'gauge',
        value: r.avgDurationMs,
        unit: 'ms',
        description: 'Rebalance duration (average)',
      },
      {
        name: `${c}coordinator.rebalance.latency.max`,
        kind: 'gauge',
        value: r.maxDurationMs,
        unit: 'ms',
        description: 'Rebalance duration (maximum)',
      },
      {
        name: `${c}coordinator.commit.total`,
        kind: 'sum',
        value: snapshot.commits.count,
        description: 'Offset commits',
      },
      {
        name: `${c}fetch.manager.records.consumed.total`,
        kind: 'sum',
        value: snapshot.recordsConsumed,
        description: 'Records consumed',
      },
      {
        name: `${c}fetch.manager.records.lag.max`,
        kind: 'gauge',
        value: Math.max(0, ...snapshot.lag.map((l) => l.lag)),
        description: 'Largest partition lag',
      },
    );
    return out;
  }
}
