/**
 * @platformatic/kafka with its batch API: send({ messages }) of 1,000 records per call, acks -1.
 * It has no batch size or linger: each send() is its own request. In the `fair` profile it is
 * idempotent like every other client; at its own defaults it is not. Consumption is its
 * documented stream ('data' events) from the earliest offset. It has no per-batch handler,
 * and its ZSTD needs node:zlib's zstd (Node >= 22.15).
 */
import { type Dataset, headersOf, keyOf, warmValue } from '../lib/data.js';
import { atMost, E2eReceiver } from '../lib/e2e.js';
import { withTimeout } from '../lib/kafkajs-shape.js';
import { ConsumeMeter, consumeTimeoutMs, produceInChunks } from '../lib/meter.js';
import { recordsPerSend } from '../lib/settings.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

interface PlatMessage {
  topic: string;
  value: Buffer;
  key?: Buffer;
  headers?: Map<Buffer, Buffer>;
}

interface PlatProducer {
  send(options: { messages: PlatMessage[]; acks?: number; compression?: string }): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

interface PlatRecord {
  partition: number;
  offset: bigint;
  value: Buffer;
}

interface PlatStream {
  on(event: 'data', listener: (message: PlatRecord) => void): void;
  on(event: 'error', listener: (error: unknown) => void): void;
  close(): Promise<void>;
}

interface PlatConsumer {
  consume(options: { topics: string[]; mode: string; autocommit: boolean }): Promise<PlatStream>;
  close(force?: boolean): Promise<void>;
}

interface PlatformaticModule {
  Producer: new (options: {
    clientId: string;
    bootstrapBrokers: string[];
    idempotent?: boolean;
    acks?: number;
    autocreateTopics?: boolean;
  }) => PlatProducer;
  Consumer: new (options: { clientId: string; groupId: string; bootstrapBrokers: string[] }) => PlatConsumer;
}

let plat: PlatformaticModule;

export async function preload(): Promise<void> {
  const name = '@platformatic/kafka';
  plat = (await import(name)) as PlatformaticModule;
}

/** The broker error codes buried in a failed send's AggregateError, for a readable failure. */
function explain(error: unknown): Error {
  const codes = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (!v || typeof v !== 'object' || depth > 8) return;
    const o = v as Record<string, unknown>;
    if (typeof o.errorCode === 'number' && o.errorCode !== 0) codes.add(String(o.errorCode));
    for (const child of Object.values(o)) walk(child, depth + 1);
    if (Array.isArray(o.errors)) for (const e of o.errors) walk(e, depth + 1);
  };
  walk(error, 0);
  const message = error instanceof Error ? error.message : String(error);
  return new Error(codes.size ? `${message} broker error codes: ${[...codes].join(', ')}` : message, {
    cause: error,
  });
}

function producer(spec: RunSpec): PlatProducer {
  return new plat.Producer({
    clientId: `bench-platformatic-${process.pid}`,
    bootstrapBrokers: spec.brokers,
    idempotent: spec.profile === 'fair',
    acks: -1,
  });
}

/**
 * Header names as Buffers: with string names (its types allow a Map<string, …>), 2.12.1's send()
 * never settles, neither resolving nor rejecting.
 */
const headerKeys = new Map<string, Buffer>();
function headerKey(name: string): Buffer {
  let k = headerKeys.get(name);
  if (!k) {
    k = Buffer.from(name);
    headerKeys.set(name, k);
  }
  return k;
}

function messages(spec: RunSpec, data: Dataset, from: number, n: number): PlatMessage[] {
  const { keyed, headers } = spec.scenario;
  const out = new Array<PlatMessage>(n);
  for (let i = 0; i < n; i++) {
    const seq = data.seq(from + i);
    const m: PlatMessage = { topic: spec.topic, value: data.value(from + i) };
    if (keyed) m.key = keyOf(seq);
    if (headers) m.headers = new Map(Object.entries(headersOf(seq)).map(([k, v]) => [headerKey(k), v]));
    out[i] = m;
  }
  return out;
}

export async function produce(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  const p = producer(spec);
  const compression = spec.scenario.codec === 'none' ? undefined : spec.scenario.codec;
  const opts = (m: PlatMessage[]) =>
    compression ? { messages: m, acks: -1, compression } : { messages: m, acks: -1 };
  const chunk = recordsPerSend(spec.scenario.size, spec.scenario.partitions);
  const window = 8;
  try {
    const warm = warmValue(spec.scenario.size);
    const w = await produceInChunks(Math.max(1, spec.warmup), 0, chunk, window, (_f, n) =>
      p.send(opts(Array.from({ length: n }, () => ({ topic: spec.topic, value: warm })))),
    );
    if (w.firstError) throw w.firstError;
    const r = await produceInChunks(spec.count, spec.scenario.size, chunk, window, (from, n) =>
      p.send(opts(messages(spec, data, from, n))),
    );
    if (r.firstError) r.note = explain(r.firstError).message.slice(0, 300);
    delete r.firstError;
    return r;
  } catch (error) {
    throw explain(error);
  } finally {
    await p.close();
  }
}

export async function e2e(spec: RunSpec, data: Dataset): Promise<RunnerResult> {
  const rate = spec.scenario.rate!;
  const p = producer(spec);
  const c = new plat.Consumer({
    clientId: `bench-platformatic-${process.pid}-c`,
    groupId: spec.groupId,
    bootstrapBrokers: spec.brokers,
  });
  const rx = new E2eReceiver(data, spec.count, rate);
  let failedSends = 0;
  let stream: PlatStream | undefined;
  try {
    stream = await c.consume({ topics: [spec.topic], mode: 'earliest', autocommit: true });
    stream.on('data', (m) => rx.receive(m.value));
    stream.on('error', (error) => console.error('stream error:', error));
    const value = warmValue(spec.scenario.size);
    await p.send({ messages: [{ topic: spec.topic, value }], acks: -1 });
    await withTimeout(rx.warm, 120_000, 'the warm-up record never reached the consumer');
    await rx.schedule(spec.warmup, (i) => {
      const batch = i === undefined ? [{ topic: spec.topic, value }] : messages(spec, data, i, 1);
      p.send({ messages: batch, acks: -1 }).catch(() => {
        if (i !== undefined) failedSends++;
      });
    });
    await rx.wait();
    return rx.result(failedSends);
  } finally {
    if (stream) await atMost(stream.close(), 10_000);
    await atMost(c.close(true), 10_000);
    // Closing it with thousands of sends queued fails each in turn recursively and overflows its stack
    // (RangeError from its connection queue); after a saturated run the child exits without closing.
    if (!rx.saturated) await atMost(p.close(), 10_000);
  }
}

async function consumeMembers(spec: RunSpec, members: number): Promise<RunnerResult> {
  const meter = new ConsumeMeter(spec);
  const consumers: PlatConsumer[] = [];
  const streams: PlatStream[] = [];
  try {
    for (let i = 0; i < members; i++) {
      consumers.push(
        new plat.Consumer({
          clientId: `bench-platformatic-${process.pid}-${i}`,
          groupId: spec.groupId,
          bootstrapBrokers: spec.brokers,
        }),
      );
    }
    const opened = await Promise.all(
      consumers.map((c) => c.consume({ topics: [spec.topic], mode: 'earliest', autocommit: true })),
    );
    for (const stream of opened) {
      streams.push(stream);
      stream.on('data', (m) => {
        meter.add(m.partition, Number(m.offset));
      });
      stream.on('error', (error) => console.error('stream error:', error));
    }
    await meter.wait(consumeTimeoutMs(spec));
    return meter.result();
  } finally {
    await Promise.all(streams.map((s) => s.close().catch(() => undefined)));
    await Promise.all(consumers.map((c) => c.close(true).catch(() => undefined)));
  }
}

export function consume(spec: RunSpec): Promise<RunnerResult> {
  return consumeMembers(spec, 1);
}

export function consumeGroup(spec: RunSpec): Promise<RunnerResult> {
  return consumeMembers(spec, spec.scenario.members ?? 3);
}
