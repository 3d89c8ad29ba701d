/**
 * Runners for the two KafkaJS-shaped clients (KafkaJS itself and kafkats). Both are driven with
 * the same code, which is the point of kafkats keeping KafkaJS's API. The interfaces below are
 * the small part of that API the benchmark uses; they keep the repository's type check free of
 * bench/node_modules.
 */
import { ConsumeMeter, consumeTimeoutMs, produceInChunks } from './meter.js';
import { payload } from './scenarios.js';
import { LatencyRecorder, nowMs, paced } from './stats.js';
import type { RunnerResult, RunSpec } from './types.js';

export interface KjsMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
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

export interface KjsEachBatchPayload {
  batch: { messages: unknown[] };
}

export interface KjsConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(s: { topics: string[]; fromBeginning?: boolean }): Promise<void>;
  run(config: {
    eachMessage?: (payload: { message: unknown }) => Promise<void>;
    eachBatch?: (payload: KjsEachBatchPayload) => Promise<void>;
    partitionsConsumedConcurrently?: number;
  }): Promise<void>;
  stop?(): Promise<void>;
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

function messagesOf(value: Buffer, n: number): KjsMessage[] {
  const messages = new Array<KjsMessage>(n);
  for (let i = 0; i < n; i++) messages[i] = { value };
  return messages;
}

export async function kjsProduce(spec: RunSpec, flavour: KjsFlavour): Promise<RunnerResult> {
  const producer = flavour.producer();
  await producer.connect();
  const value = payload(spec.scenario.size);
  const compression = flavour.compression(spec.scenario.codec);
  const full = messagesOf(value, flavour.chunk);
  try {
    const result = await produceInChunks(spec, flavour.chunk, flavour.window, (n) =>
      producer.send({
        topic: spec.topic,
        messages: n === flavour.chunk ? full : messagesOf(value, n),
        acks: -1,
        compression,
      }),
    );
    if (flavour.note) result.note = flavour.note;
    return result;
  } finally {
    await producer.disconnect();
  }
}

/** One send() per record at the scenario's rate; latency is send() to its promise resolving. */
export async function kjsLatency(spec: RunSpec, flavour: KjsFlavour): Promise<RunnerResult> {
  const producer = flavour.producer();
  await producer.connect();
  const value = payload(spec.scenario.size);
  const latencies = new LatencyRecorder(spec.scenario.count);
  const inFlight = new Set<Promise<void>>();
  let failed: unknown;
  // One acknowledged record first, so that metadata, connections and the producer id are in place.
  await producer.send({ topic: spec.topic, messages: [{ value }], acks: -1 });
  const started = nowMs();
  try {
    await paced(spec.scenario.rate!, spec.scenario.seconds!, (due) => {
      for (let i = 0; i < due; i++) {
        const t0 = nowMs();
        const p: Promise<void> = producer.send({ topic: spec.topic, messages: [{ value }], acks: -1 }).then(
          () => {
            latencies.add(nowMs() - t0);
            inFlight.delete(p);
          },
          (error: unknown) => {
            failed ??= error;
            inFlight.delete(p);
          },
        );
        inFlight.add(p);
      }
    });
    await Promise.all(inFlight);
    if (failed) throw failed;
    const seconds = (nowMs() - started) / 1000;
    return {
      count: latencies.count,
      bytes: latencies.count * spec.scenario.size,
      seconds,
      ...latencies.summary(),
    };
  } finally {
    await producer.disconnect();
  }
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
              meter.add(b.messages.length);
            },
          })
        : c.run({
            eachMessage: async () => {
              meter.add(1);
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
