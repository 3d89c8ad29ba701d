/**
 * node-rdkafka (librdkafka built from its bundled sources). Producer: `fair` gives it batch.size
 * 256 KiB, linger.ms 5, idempotence, acks all and the murmur2 partitioner; `own` is librdkafka's
 * defaults (batch.size 1 MB, linger 5 ms, not idempotent). produce() in a loop until librdkafka's
 * queue is full, then yield to deliveries; one delivery report per record is how node-rdkafka
 * reports acks (dr_cb). Consumption uses the documented non-flowing mode: consume(1000) in a
 * loop, each message handled one by one (the e2e runs use flowing mode, see e2e()); check.crcs is
 * on in `fair`.
 */
import { type Dataset, headersOf, keyOf, warmValue } from '../lib/data.js';
import { atMost, E2eReceiver } from '../lib/e2e.js';
import { withTimeout } from '../lib/kafkajs-shape.js';
import { ConsumeMeter, consumeTimeoutMs, epochMs } from '../lib/meter.js';
import { rdkafkaProducerConf } from '../lib/settings.js';
import { nowMs } from '../lib/stats.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

interface RdError extends Error {
  code: number;
}

interface RdProducer {
  connect(options?: unknown, cb?: (err: RdError | null) => void): void;
  on(event: 'delivery-report', listener: (err: RdError | null, report: { opaque?: unknown }) => void): void;
  produce(
    topic: string,
    partition: number | null,
    message: Buffer,
    key?: Buffer | null,
    timestamp?: number | null,
    opaque?: unknown,
    headers?: Array<Record<string, Buffer>>,
  ): boolean;
  setPollInterval(ms: number): void;
  poll(): void;
  flush(timeout: number, cb: (err: RdError | null) => void): void;
  disconnect(cb: (err: RdError | null) => void): void;
}

interface RdMessage {
  value: Buffer | null;
  partition: number;
  offset: number;
}

interface RdConsumer {
  connect(options?: unknown, cb?: (err: RdError | null) => void): void;
  subscribe(topics: string[]): void;
  consume(n: number, cb: (err: RdError | null, messages: RdMessage[]) => void): void;
  /** Flowing mode: a background loop hands over each message as a 'data' event as soon as it has it. */
  consume(cb: (err: RdError | null) => void): void;
  on(event: 'data', listener: (m: RdMessage) => void): void;
  setDefaultConsumeTimeout(ms: number): void;
  setDefaultConsumeLoopTimeoutDelay(ms: number): void;
  disconnect(cb: (err: RdError | null) => void): void;
}

interface RdModule {
  Producer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdConsumer;
  CODES: { ERRORS: Record<string, number> };
  features?: string[];
}

let rd: RdModule;

export async function preload(): Promise<void> {
  const name = 'node-rdkafka';
  const mod = (await import(name)) as RdModule & { default?: RdModule };
  rd = mod.default ?? mod;
}

function done(fn: (cb: (err: RdError | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

/** librdkafka reports the codecs it was built with; a build without libzstd cannot do ZSTD. */
function requireCodec(spec: RunSpec): void {
  const codec = spec.scenario.codec;
  if (codec !== 'none' && rd.features && !rd.features.includes(codec)) {
    throw new Error(
      `unsupported: this librdkafka build has no ${codec} (features: ${rd.features.join(',')})`,
    );
  }
}

async function producer(spec: RunSpec): Promise<RdProducer> {
  requireCodec(spec);
  const p = new rd.Producer({
    'client.id': `bench-rdkafka-${process.pid}`,
    'metadata.broker.list': spec.brokers.join(','),
    ...rdkafkaProducerConf(spec.profile, spec.scenario.codec),
    dr_cb: true,
  });
  await done((cb) => p.connect({}, cb));
  return p;
}

function headerList(seq: number): Array<Record<string, Buffer>> {
  return Object.entries(headersOf(seq)).map(([k, v]) => ({ [k]: v }));
}

/** Produces record i (or a warm-up record when data is undefined); false when the queue is full. */
function produceOne(
  p: RdProducer,
  spec: RunSpec,
  value: Buffer,
  seq: number | undefined,
  opaque?: unknown,
): void {
  const key = spec.scenario.keyed && seq !== undefined ? keyOf(seq) : null;
  const headers = spec.scenario.headers && seq !== undefined ? headerList(seq) : undefined;
  p.produce(spec.topic, null, value, key, null, opaque, headers);
}

export async function produce(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  const p = await producer(spec);
  const queueFull = rd.CODES.ERRORS.ERR__QUEUE_FULL;
  const warm = Math.max(1, spec.warmup);
  const total = spec.count + warm;
  let delivered = 0;
  let acked = 0;
  let failedSends = 0;
  let firstError: RdError | undefined;
  let resolveWarm!: () => void;
  const warmed = new Promise<void>((r) => {
    resolveWarm = r;
  });
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  p.on('delivery-report', (err, report) => {
    delivered++;
    if (report.opaque !== 'w') {
      if (err) {
        failedSends++;
        firstError ??= err;
      } else acked++;
    }
    if (delivered === warm) resolveWarm();
    if (delivered === total) resolveAll();
  });
  p.setPollInterval(10);
  const send = async (n: number, make: (i: number) => void): Promise<void> => {
    for (let i = 0; i < n; ) {
      try {
        make(i);
        i++;
      } catch (error) {
        if ((error as RdError).code !== queueFull) throw error;
        p.poll();
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  };
  try {
    const wv = warmValue(spec.scenario.size);
    await send(warm, () => produceOne(p, spec, wv, undefined, 'w'));
    await warmed;
    const started = nowMs();
    const startEpochMs = epochMs();
    await send(spec.count, (i) => produceOne(p, spec, data.value(i), data.seq(i)));
    await all;
    const seconds = (nowMs() - started) / 1000;
    const r: RunnerResult = {
      count: acked,
      bytes: acked * spec.scenario.size,
      seconds,
      startEpochMs,
      endEpochMs: startEpochMs + seconds * 1000,
      failedSends,
    };
    if (firstError) r.note = `first failed delivery: ${firstError.message}`;
    return r;
  } finally {
    await done((cb) => p.disconnect(cb));
  }
}

function consumerConf(spec: RunSpec, i: number): Record<string, unknown> {
  const conf: Record<string, unknown> = {
    'client.id': `bench-rdkafka-${process.pid}-${i}`,
    'metadata.broker.list': spec.brokers.join(','),
    'group.id': spec.groupId,
    'enable.auto.commit': true,
  };
  if (spec.profile === 'fair') conf['check.crcs'] = true;
  return conf;
}

async function consumerOf(spec: RunSpec, i: number): Promise<RdConsumer> {
  const c = new rd.KafkaConsumer(consumerConf(spec, i), { 'auto.offset.reset': 'earliest' });
  await done((cb) => c.connect({}, cb));
  c.setDefaultConsumeTimeout(100);
  c.subscribe([spec.topic]);
  return c;
}

/** consume(1000) in a loop, handing each message to `onMessage`, until `stopped()`. */
function pump(
  c: RdConsumer,
  onMessage: (m: RdMessage) => void,
  stopped: () => boolean,
  fail: (e: unknown) => void,
): void {
  const loop = (): void => {
    if (stopped()) return;
    c.consume(1000, (err, messages) => {
      if (err) return fail(err);
      for (const m of messages) onMessage(m);
      // The next call at once: librdkafka prefetches in its own threads.
      setImmediate(loop);
    });
  };
  loop();
}

export async function e2e(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  const rate = spec.scenario.rate!;
  const p = await producer(spec);
  let failedSends = 0;
  p.on('delivery-report', (err) => {
    if (err) failedSends++;
  });
  // Delivery reports reach JavaScript on poll(); latency is measured at the consumer, not here.
  p.setPollInterval(10);
  const c = await consumerOf(spec, 0);
  const rx = new E2eReceiver(data, spec.count, rate);
  let failed: unknown;
  // Flowing mode, node-rdkafka's way to get each message as soon as librdkafka has it. consume(1000)
  // as in pump() waits for 1,000 messages or a 100 ms gap: at 1,000 msgs/s that held records up to a
  // second (p50 507 ms, p99 997 ms in the first full run), a measure of the runner, not of librdkafka.
  c.on('data', (m) => rx.receive(m.value));
  // Its loop waits up to 100 ms for a message (consumerOf); no extra 500 ms sleep after such a wait.
  c.setDefaultConsumeLoopTimeoutDelay(0);
  c.consume((err) => {
    if (err) failed ??= err;
  });
  try {
    const wv = warmValue(spec.scenario.size);
    produceOne(p, spec, wv, undefined);
    await withTimeout(rx.warm, 120_000, 'the warm-up record never reached the consumer');
    await rx.schedule(spec.warmup, (i) =>
      i === undefined ? produceOne(p, spec, wv, undefined) : produceOne(p, spec, data.value(i), data.seq(i)),
    );
    await rx.wait();
    if (failed) throw failed;
    return rx.result(failedSends);
  } finally {
    await atMost(
      done((cb) => c.disconnect(cb)),
      10_000,
    );
    await atMost(
      done((cb) => p.disconnect(cb)),
      10_000,
    );
  }
}

async function consumeMembers(spec: RunSpec, members: number): Promise<RunnerResult> {
  requireCodec(spec);
  const meter = new ConsumeMeter(spec);
  const consumers: RdConsumer[] = [];
  for (let i = 0; i < members; i++) consumers.push(await consumerOf(spec, i));
  let stopped = false;
  let failed: unknown;
  try {
    for (const c of consumers) {
      pump(
        c,
        (m) => {
          if (m.value) meter.add(m.partition, m.offset);
        },
        () => stopped,
        (e) => {
          failed ??= e;
        },
      );
    }
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
