/**
 * node-rdkafka 3.6 (librdkafka 2.12, built from its bundled sources): idempotent, acks all,
 * linger.ms 5, librdkafka's default batching (batch.size 1 MB, sticky partitioning of keyless
 * records). produce() in a loop until librdkafka's queue is full, then yield to deliveries.
 * Consumption uses the documented non-flowing mode: consume(1000) in a loop, each message
 * handled one by one.
 */
import { ConsumeMeter, consumeTimeoutMs } from '../lib/meter.js';
import { payload } from '../lib/scenarios.js';
import { LatencyRecorder, nowMs, paced } from '../lib/stats.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

interface RdError extends Error {
  code: number;
}

interface RdDeliveryReport {
  opaque?: unknown;
}

interface RdProducer {
  connect(options?: unknown, cb?: (err: RdError | null) => void): void;
  on(event: 'ready', listener: () => void): void;
  on(event: 'delivery-report', listener: (err: RdError | null, report: RdDeliveryReport) => void): void;
  on(event: 'event.error', listener: (err: RdError) => void): void;
  produce(
    topic: string,
    partition: number | null,
    message: Buffer,
    key?: Buffer | null,
    timestamp?: number | null,
    opaque?: unknown,
  ): boolean;
  setPollInterval(ms: number): void;
  poll(): void;
  flush(timeout: number, cb: (err: RdError | null) => void): void;
  disconnect(cb: (err: RdError | null) => void): void;
}

interface RdMessage {
  value: Buffer | null;
}

interface RdConsumer {
  connect(options?: unknown, cb?: (err: RdError | null) => void): void;
  subscribe(topics: string[]): void;
  consume(n: number, cb: (err: RdError | null, messages: RdMessage[]) => void): void;
  setDefaultConsumeTimeout(ms: number): void;
  disconnect(cb: (err: RdError | null) => void): void;
}

interface RdModule {
  Producer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdConsumer;
  CODES: { ERRORS: Record<string, number> };
}

async function load(): Promise<RdModule> {
  const name = 'node-rdkafka';
  const mod = (await import(name)) as RdModule & { default?: RdModule };
  return mod.default ?? mod;
}

function connectProducer(p: RdProducer): Promise<void> {
  return new Promise((resolve, reject) => p.connect({}, (err) => (err ? reject(err) : resolve())));
}

function done(fn: (cb: (err: RdError | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

async function producer(spec: RunSpec): Promise<{ p: RdProducer; rd: RdModule }> {
  const rd = await load();
  const p = new rd.Producer({
    'client.id': `bench-rdkafka-${process.pid}`,
    'metadata.broker.list': spec.brokers.join(','),
    'enable.idempotence': true,
    acks: 'all',
    'linger.ms': 5,
    'compression.codec': spec.scenario.codec,
    dr_cb: true,
  });
  await connectProducer(p);
  return { p, rd };
}

export async function produce(spec: RunSpec): Promise<RunnerResult> {
  const { p, rd } = await producer(spec);
  const queueFull = rd.CODES.ERRORS.ERR__QUEUE_FULL;
  const value = payload(spec.scenario.size);
  const total = spec.scenario.count;
  let delivered = 0;
  let failed: RdError | undefined;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });
  p.on('delivery-report', (err) => {
    if (err) failed ??= err;
    if (++delivered === total) resolveAll();
  });
  p.setPollInterval(10);
  const started = nowMs();
  try {
    let sent = 0;
    while (sent < total) {
      try {
        p.produce(spec.topic, null, value, null, null);
        sent++;
      } catch (error) {
        if ((error as RdError).code !== queueFull) throw error;
        p.poll();
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await all;
    if (failed) throw failed;
    return { count: total, bytes: total * spec.scenario.size, seconds: (nowMs() - started) / 1000 };
  } finally {
    await done((cb) => p.disconnect(cb));
  }
}

export async function latency(spec: RunSpec): Promise<RunnerResult> {
  const { p } = await producer(spec);
  const value = payload(spec.scenario.size);
  const latencies = new LatencyRecorder(spec.scenario.count);
  let failed: RdError | undefined;
  let acked = 0;
  let warmedUp!: () => void;
  const warm = new Promise<void>((resolve) => {
    warmedUp = resolve;
  });
  p.on('delivery-report', (err, report) => {
    if (report.opaque === 'warm-up') {
      warmedUp();
      return;
    }
    if (err) failed ??= err;
    else latencies.add(nowMs() - (report.opaque as number));
    acked++;
  });
  // Delivery reports reach JavaScript on poll(): poll often so that the poll interval does not
  // become the latency.
  p.setPollInterval(1);
  // One acknowledged record first, so that metadata, connections and the producer id are in place.
  p.produce(spec.topic, null, value, null, null, 'warm-up');
  await warm;
  const started = nowMs();
  let sent = 0;
  try {
    await paced(spec.scenario.rate!, spec.scenario.seconds!, (due) => {
      for (let i = 0; i < due; i++) {
        p.produce(spec.topic, null, value, null, null, nowMs());
        sent++;
      }
    });
    await done((cb) => p.flush(30_000, cb));
    const deadline = nowMs() + 30_000;
    while (acked < sent && nowMs() < deadline) await new Promise((r) => setTimeout(r, 5));
    if (failed) throw failed;
    return {
      count: latencies.count,
      bytes: latencies.count * spec.scenario.size,
      seconds: (nowMs() - started) / 1000,
      ...latencies.summary(),
    };
  } finally {
    await done((cb) => p.disconnect(cb));
  }
}

async function consumeMembers(spec: RunSpec, members: number): Promise<RunnerResult> {
  const rd = await load();
  const meter = new ConsumeMeter(spec);
  const consumers: RdConsumer[] = [];
  for (let i = 0; i < members; i++) {
    const c = new rd.KafkaConsumer(
      {
        'client.id': `bench-rdkafka-${process.pid}-${i}`,
        'metadata.broker.list': spec.brokers.join(','),
        'group.id': spec.groupId,
        'enable.auto.commit': true,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    await done((cb) => c.connect({}, cb));
    c.setDefaultConsumeTimeout(100);
    c.subscribe([spec.topic]);
    consumers.push(c);
  }
  let stopped = false;
  let failed: unknown;
  const loop = (c: RdConsumer): void => {
    if (stopped) return;
    c.consume(1000, (err, messages) => {
      if (err) {
        failed ??= err;
        return;
      }
      let n = 0;
      for (const m of messages) if (m.value) n++;
      meter.add(n);
      // A callback per batch, then the next one at once: librdkafka prefetches in its own threads.
      setImmediate(() => loop(c));
    });
  };
  try {
    for (const c of consumers) loop(c);
    await meter.wait(consumeTimeoutMs(spec));
    if (failed) throw failed;
    return meter.result();
  } finally {
    stopped = true;
    await Promise.all(consumers.map((c) => done((cb) => c.disconnect(cb)).catch(() => undefined)));
  }
}

export function consume(spec: RunSpec): Promise<RunnerResult> {
  return consumeMembers(spec, 1);
}

export function consumeGroup(spec: RunSpec): Promise<RunnerResult> {
  return consumeMembers(spec, spec.scenario.members ?? 3);
}
