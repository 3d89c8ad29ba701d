/**
 * Runners for the two KafkaJS-shaped clients (KafkaJS itself and kafkats). Both are driven with
 * the same code, which is the point of kafkats keeping KafkaJS's API. The interfaces below are
 * the small part of that API the benchmark uses; they keep the repository's type check free of
 * bench/node_modules.
 */
import { type Dataset, headersOf, keyOf, warmValue } from './data.js';
import { atMost, E2eReceiver } from './e2e.js';
import { ConsumeMeter, consumeTimeoutMs, produceInChunks } from './meter.js';
import type { RunnerResult, RunSpec } from './types.js';

export interface KjsMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer>;
}

export interface KjsProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: {
    topic: string;
    messages: KjsMessage[];
    acks?: number;
    compression?: number;
  }): Promise<unknown>;
}

interface KjsRecord {
  offset: string;
  value: Buffer | null;
}

export interface KjsConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(config: {
    eachMessage?: (payload: { partition: number; message: KjsRecord }) => Promise<void>;
    eachBatch?: (payload: { batch: { partition: number; messages: KjsRecord[] } }) => Promise<void>;
  }): Promise<void>;
}

export interface KjsFlavour {
  producer(): KjsProducer;
  consumer(groupId: string): KjsConsumer;
  /** The client's compression code for the scenario's codec. */
  compression(codec: string): number;
  /** Records per send() call and how many calls may be unacknowledged at once. */
  chunk: number;
  window: number;
  /** Said in the result when the runner had to deviate from the standard set-up. */
  note?: string;
}

/** The messages of records from … from+n-1, keyed and with headers as the scenario asks. */
export function kjsMessages(spec: RunSpec, data: Dataset, from: number, n: number): KjsMessage[] {
  const { keyed, headers } = spec.scenario;
  const messages = new Array<KjsMessage>(n);
  for (let i = 0; i < n; i++) {
    const m: KjsMessage = { value: data.value(from + i) };
    if (keyed) m.key = keyOf(data.seq(from + i));
    if (headers) m.headers = headersOf(data.seq(from + i));
    messages[i] = m;
  }
  return messages;
}

/** Sends `spec.warmup` untimed records through the same path as the measured ones. */
async function warmUp(spec: RunSpec, flavour: KjsFlavour, producer: KjsProducer): Promise<void> {
  const value = warmValue(spec.scenario.size);
  const compression = flavour.compression(spec.scenario.codec);
  const warm = Math.max(1, spec.warmup);
  await produceInChunks(warm, 0, flavour.chunk, flavour.window, (_from, n) =>
    producer.send({
      topic: spec.topic,
      messages: Array.from({ length: n }, () => ({ value })),
      acks: -1,
      compression,
    }),
  ).then((r) => {
    if (r.firstError) throw r.firstError;
  });
}

export async function kjsProduce(spec: RunSpec, data: Dataset, flavour: KjsFlavour): Promise<RunnerResult> {
  const producer = flavour.producer();
  await producer.connect();
  const compression = flavour.compression(spec.scenario.codec);
  try {
    await warmUp(spec, flavour, producer);
    const result = await produceInChunks(
      spec.count,
      spec.scenario.size,
      flavour.chunk,
      flavour.window,
      (from, n) =>
        producer.send({
          topic: spec.topic,
          messages: kjsMessages(spec, data, from, n),
          acks: -1,
          compression,
        }),
    );
    delete result.firstError;
    if (flavour.note) result.note = [flavour.note, result.note].filter(Boolean).join('; ');
    return result;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Fixed-rate produce → consume in one process: one send() per record at its scheduled time,
 * latency from that scheduled time to the consumer's handler (coordinated omission corrected).
 */
export async function kjsE2e(spec: RunSpec, data: Dataset, flavour: KjsFlavour): Promise<RunnerResult> {
  const rate = spec.scenario.rate!;
  const producer = flavour.producer();
  const consumer = flavour.consumer(spec.groupId);
  const rx = new E2eReceiver(data, spec.count, rate);
  let failedSends = 0;
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.topic], fromBeginning: true });
  try {
    await consumer.run({
      eachMessage: async ({ message }) => rx.receive(message.value),
    });
    // One record through the whole path first: the consumer is assigned and fetching.
    const value = warmValue(spec.scenario.size);
    await producer.send({ topic: spec.topic, messages: [{ value }], acks: -1 });
    await withTimeout(rx.warm, 120_000, 'the warm-up record never reached the consumer');
    await rx.schedule(spec.warmup, (i) => {
      const messages = i === undefined ? [{ value }] : kjsMessages(spec, data, i, 1);
      producer.send({ topic: spec.topic, messages, acks: -1 }).catch(() => {
        if (i !== undefined) failedSends++;
      });
    });
    await rx.wait();
    return rx.result(failedSends);
  } finally {
    await atMost(consumer.disconnect(), 10_000);
    await atMost(producer.disconnect(), 10_000);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function consumeWith(
  spec: RunSpec,
  consumers: KjsConsumer[],
  batch: boolean,
  note?: string,
): Promise<RunnerResult> {
  const meter = new ConsumeMeter(spec);
  for (const c of consumers) {
    await c.connect();
    await c.subscribe({ topics: [spec.topic], fromBeginning: true });
  }
  try {
    for (const c of consumers) {
      const run = batch
        ? c.run({
            eachBatch: async ({ batch: b }) => {
              for (const m of b.messages) meter.add(b.partition, Number(m.offset));
            },
          })
        : c.run({
            eachMessage: async ({ partition, message }) => {
              meter.add(partition, Number(message.offset));
            },
          });
      // run() resolves once the consumer is running (KafkaJS); errors surface through the meter's timeout.
      run.catch((error: unknown) => console.error('run() failed:', error));
    }
    await meter.wait(consumeTimeoutMs(spec));
    return meter.result(note);
  } finally {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
  }
}

export function kjsConsume(spec: RunSpec, flavour: KjsFlavour, batch: boolean): Promise<RunnerResult> {
  return consumeWith(spec, [flavour.consumer(spec.groupId)], batch, flavour.note);
}

export function kjsConsumeGroup(spec: RunSpec, flavour: KjsFlavour): Promise<RunnerResult> {
  const members = spec.scenario.members ?? 3;
  const consumers = Array.from({ length: members }, () => flavour.consumer(spec.groupId));
  return consumeWith(spec, consumers, false, flavour.note);
}
