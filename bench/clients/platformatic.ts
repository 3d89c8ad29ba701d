/**
 * @platformatic/kafka 1.35 (the last line that runs on Node 20; 2.x needs Node >= 22.22) with its
 * batch API: send({ messages }) of 1,000 records per call, 8 calls outstanding, acks -1.
 * Idempotence is off: with it on, concurrent send() calls fail with OUT_OF_ORDER_SEQUENCE_NUMBER
 * (error 45; sequence numbers advance only when an answer arrives), so idempotent means one
 * send at a time, which is not its best throughput. Consumption is its documented stream ('data' events) from the earliest offset.
 * It has no per-batch handler, and its ZSTD needs zlib's zstd (Node >= 22.15).
 */
import { ConsumeMeter, consumeTimeoutMs, produceInChunks } from '../lib/meter.js';
import { payload } from '../lib/scenarios.js';
import { LatencyRecorder, nowMs, paced } from '../lib/stats.js';
import type { RunnerResult, RunSpec } from '../lib/types.js';

interface PlatMessage {
  topic: string;
  value: Buffer;
}

interface PlatProducer {
  send(options: { messages: PlatMessage[]; acks?: number; compression?: string }): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

interface PlatStream {
  on(event: 'data', listener: (message: unknown) => void): void;
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

/** The broker error codes buried in a failed send's AggregateError, for a readable failure. */
function explain(error: unknown): Error {
  const codes = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (!v || typeof v !== 'object' || depth > 8) return;
    const o = v as Record<string, unknown>;
    if (typeof o.errorCode === 'number' && o.errorCode !== 0) {
      codes.add(`${String(o.errorCode)}${typeof o.index === 'number' ? ` (partition ${o.index})` : ''}`);
    }
    for (const child of Object.values(o)) walk(child, depth + 1);
    if (Array.isArray(o.errors)) for (const e of o.errors) walk(e, depth + 1);
  };
  walk(error, 0);
  const message = error instanceof Error ? error.message : String(error);
  return new Error(codes.size ? `${message} broker error codes: ${[...codes].join(', ')}` : message, {
    cause: error,
  });
}

async function load(): Promise<PlatformaticModule> {
  const name = '@platformatic/kafka';
  return (await import(name)) as PlatformaticModule;
}

async function producer(spec: RunSpec): Promise<PlatProducer> {
  const { Producer } = await load();
  return new Producer({
    clientId: `bench-platformatic-${process.pid}`,
    bootstrapBrokers: spec.brokers,
    idempotent: false,
    acks: -1,
  });
}

function compressionOf(spec: RunSpec): string | undefined {
  return spec.scenario.codec === 'none' ? undefined : spec.scenario.codec;
}

export async function produce(spec: RunSpec): Promise<RunnerResult> {
  const p = await producer(spec);
  const value = payload(spec.scenario.size);
  const compression = compressionOf(spec);
  const chunk = 1000;
  const full: PlatMessage[] = Array.from({ length: chunk }, () => ({ topic: spec.topic, value }));
  const opts = (messages: PlatMessage[]) =>
    compression ? { messages, acks: -1, compression } : { messages, acks: -1 };
  try {
    // One send first, so that connections and metadata are up before the clock starts.
    await p.send(opts([{ topic: spec.topic, value }]));
    return await produceInChunks(spec, chunk, 8, (n) => p.send(opts(n === chunk ? full : full.slice(0, n))));
  } catch (error) {
    throw explain(error);
  } finally {
    await p.close();
  }
}

export async function latency(spec: RunSpec): Promise<RunnerResult> {
  const p = await producer(spec);
  const value = payload(spec.scenario.size);
  const latencies = new LatencyRecorder(spec.scenario.count);
  const inFlight = new Set<Promise<void>>();
  let failed: unknown;
  try {
    await p.send({ messages: [{ topic: spec.topic, value }], acks: -1 });
    const started = nowMs();
    await paced(spec.scenario.rate!, spec.scenario.seconds!, (due) => {
      for (let i = 0; i < due; i++) {
        const t0 = nowMs();
        const q: Promise<void> = p.send({ messages: [{ topic: spec.topic, value }], acks: -1 }).then(
          () => {
            latencies.add(nowMs() - t0);
            inFlight.delete(q);
          },
          (error: unknown) => {
            failed ??= error;
            inFlight.delete(q);
          },
        );
        inFlight.add(q);
      }
    });
    await Promise.all(inFlight);
    if (failed) throw failed;
    return {
      count: latencies.count,
      bytes: latencies.count * spec.scenario.size,
      seconds: (nowMs() - started) / 1000,
      ...latencies.summary(),
    };
  } catch (error) {
    throw explain(error);
  } finally {
    await p.close();
  }
}

async function consumeMembers(spec: RunSpec, members: number): Promise<RunnerResult> {
  const { Consumer } = await load();
  const meter = new ConsumeMeter(spec);
  const consumers: PlatConsumer[] = [];
  const streams: PlatStream[] = [];
  try {
    for (let i = 0; i < members; i++) {
      const c = new Consumer({
        clientId: `bench-platformatic-${process.pid}-${i}`,
        groupId: spec.groupId,
        bootstrapBrokers: spec.brokers,
      });
      consumers.push(c);
    }
    const opened = await Promise.all(
      consumers.map((c) => c.consume({ topics: [spec.topic], mode: 'earliest', autocommit: true })),
    );
    for (const stream of opened) {
      streams.push(stream);
      stream.on('data', () => {
        meter.add(1);
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
