import { createProtocolError } from '../../../src/errors/protocol.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { nullLogger } from '../../../src/logger.js';
import type { ProducerOptions } from '../../../src/producer/options.js';
import type { PartitionMetadata } from '../../../src/producer/partitioners/types.js';
import { Producer, type ProducerEventMap } from '../../../src/producer/producer.js';
import type {
  ProduceRequestData,
  ProduceResponseData,
  ProducerIdAndEpoch,
  ProducerTransport,
} from '../../../src/producer/transport.js';
import { Codes } from '../../../src/protocol/codes.js';
import { BATCH_OFFSETS } from '../../../src/protocol/records/types.js';

interface Stored {
  producerId: bigint;
  epoch: number;
  baseSequence: number;
  count: number;
  offset: bigint;
}

/**
 * A tiny in-memory broker for the sender's logic: one log per partition with the broker's
 * idempotence rules (next expected sequence per producer, duplicates of the last 5 batches,
 * OUT_OF_ORDER otherwise), and a hook to inject errors or drop connections.
 */
export class FakeBroker implements ProducerTransport {
  readonly logs = new Map<string, Stored[]>();
  readonly requests: ProduceRequestData[] = [];
  /** Returns an error code for a partition of a request, or a thrown error for the whole request. */
  inject:
    | ((topic: string, partition: number, seq: number, requestNo: number) => number | Error | undefined)
    | undefined;
  /**
   * Sets `inject` so that the next request reaching `partition` (any partition when omitted)
   * gets `error` (a code, or a thrown error for the whole request), and later ones are answered.
   */
  failOnce(error: number | Error, partition?: number): void {
    let failed = false;
    this.inject = (_topic, p) => {
      if (failed || (partition !== undefined && p !== partition)) return undefined;
      failed = true;
      return error;
    };
  }

  leaders = new Map<string, number>();
  nextProducerId = 1000n;
  epochBumps = 0;
  metadataRefreshes = 0;
  /** Batches with more records than this are refused with MESSAGE_TOO_LARGE (10). */
  maxBatchRecords = Number.POSITIVE_INFINITY;
  /** When true, a batch is written but the answer is lost (network error) for injected errors. */
  writeBeforeError = false;
  /** While true, Produce requests are received but neither processed nor answered (see dropConnection). */
  holdRequests = false;
  private held: Array<{
    request: ProduceRequestData;
    requestNo: number;
    resolve: (res: Promise<ProduceResponseData | null>) => void;
    reject: (error: Error) => void;
  }> = [];

  /** Requests received and held (not answered) so far. */
  get heldRequests(): number {
    return this.held.length;
  }

  /**
   * The connection dies: the first `processed` held requests were written (in order, with the
   * broker's sequence rules) but their answers are lost; every held request fails with `error`.
   * Requests after this are processed normally (a new connection). The last `handedOverLate`
   * held requests instead reach the broker after the drop, on the new connection, and are
   * processed and answered there (a request written just as the old connection was replaced).
   */
  dropConnection(processed: number, error: Error, handedOverLate = 0): void {
    const held = this.held;
    this.held = [];
    this.holdRequests = false;
    for (const [i, h] of held.entries()) {
      if (i >= held.length - handedOverLate) {
        h.resolve(this.process(h.request, h.requestNo));
        continue;
      }
      if (i < processed) {
        for (const t of h.request.topicData)
          for (const p of t.partitionData) {
            const buf = p.records;
            this.append(
              t.name,
              p.index,
              buf.readBigInt64BE(BATCH_OFFSETS.producerId),
              buf.readInt16BE(BATCH_OFFSETS.producerEpoch),
              buf.readInt32BE(BATCH_OFFSETS.baseSequence),
              buf.readInt32BE(BATCH_OFFSETS.recordCount),
            );
          }
      }
      h.reject(error);
    }
  }

  /** Stops holding: the held requests are processed in order and answered. */
  release(): void {
    const held = this.held;
    this.held = [];
    this.holdRequests = false;
    for (const h of held) h.resolve(this.process(h.request, h.requestNo));
  }

  constructor(
    readonly topic: string,
    readonly partitionCount: number,
  ) {}

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  leaderFor(topic: string, partition: number): number {
    return this.leaders.get(`${topic}-${partition}`) ?? 1;
  }

  partitionsFor(topic: string): PartitionMetadata[] | undefined {
    if (topic !== this.topic) return undefined;
    return Array.from({ length: this.partitionCount }, (_, i) => ({
      partitionErrorCode: 0,
      partitionId: i,
      leader: this.leaderFor(topic, i),
      replicas: [1],
      isr: [1],
    }));
  }

  async refreshMetadata(): Promise<void> {
    this.metadataRefreshes++;
  }

  async initProducerId(
    _t: string | null,
    _timeout: number,
    current?: ProducerIdAndEpoch,
  ): Promise<ProducerIdAndEpoch> {
    if (current) {
      this.epochBumps++;
      return { producerId: current.producerId, producerEpoch: current.producerEpoch + 1 };
    }
    return { producerId: this.nextProducerId++, producerEpoch: 0 };
  }

  /** The real transport's errors (the protocol table's retriable flags), as the sender sees them. */
  errorFor(code: number, message?: string | null): Error & { retriable?: boolean } {
    return createProtocolError(code, message);
  }

  /** Kafka 2.5+ (KIP-360): a producer the partition has no state for may start at any sequence. */
  acceptAnyFirstSequence = false;

  async produce(_node: number, request: ProduceRequestData): Promise<ProduceResponseData | null> {
    const requestNo = this.requests.push(request);
    if (this.holdRequests) {
      return new Promise((resolve, reject) => this.held.push({ request, requestNo, resolve, reject }));
    }
    return this.process(request, requestNo);
  }

  private async process(request: ProduceRequestData, requestNo: number): Promise<ProduceResponseData | null> {
    await new Promise((r) => setImmediate(r));
    const responses: ProduceResponseData['responses'] = [];
    let thrown: Error | undefined;
    for (const t of request.topicData) {
      const partitionResponses = [];
      for (const p of t.partitionData) {
        const buf = p.records;
        const producerId = buf.readBigInt64BE(BATCH_OFFSETS.producerId);
        const epoch = buf.readInt16BE(BATCH_OFFSETS.producerEpoch);
        const seq = buf.readInt32BE(BATCH_OFFSETS.baseSequence);
        const count = buf.readInt32BE(BATCH_OFFSETS.recordCount);
        const injected = this.inject?.(t.name, p.index, seq, requestNo);
        if (injected instanceof Error) {
          if (this.writeBeforeError) this.append(t.name, p.index, producerId, epoch, seq, count);
          thrown = injected;
          continue;
        }
        if (injected === undefined && count > this.maxBatchRecords) {
          partitionResponses.push({
            index: p.index,
            errorCode: Codes.MESSAGE_TOO_LARGE,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
          });
          continue;
        }
        if (injected !== undefined) {
          partitionResponses.push({
            index: p.index,
            errorCode: injected,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
          });
          continue;
        }
        const result = this.append(t.name, p.index, producerId, epoch, seq, count);
        partitionResponses.push({ index: p.index, logAppendTimeMs: -1n, logStartOffset: 0n, ...result });
      }
      responses.push({ name: t.name, partitionResponses });
    }
    if (thrown) throw thrown;
    return request.acks === 0 ? null : { responses };
  }

  private append(
    topic: string,
    partition: number,
    producerId: bigint,
    epoch: number,
    seq: number,
    count: number,
  ) {
    const key = `${topic}-${partition}`;
    let log = this.logs.get(key);
    if (!log) {
      log = [];
      this.logs.set(key, log);
    }
    const end = log.length === 0 ? 0n : log[log.length - 1]!.offset + BigInt(log[log.length - 1]!.count);
    if (producerId >= 0n) {
      const mine = log.filter((s) => s.producerId === producerId && s.epoch === epoch);
      const dup = mine.slice(-5).find((s) => s.baseSequence === seq);
      if (dup) return { errorCode: Codes.DUPLICATE_SEQUENCE_NUMBER, baseOffset: dup.offset };
      const last = mine[mine.length - 1];
      const expected = last ? last.baseSequence + last.count : 0;
      // A broker with no state for the producer (Kafka 2.5+) takes any first sequence.
      const fresh = !last && this.acceptAnyFirstSequence;
      if (seq !== expected && !fresh) return { errorCode: last || seq !== 0 ? 45 : 59, baseOffset: -1n };
    }
    log.push({ producerId, epoch, baseSequence: seq, count, offset: end });
    return { errorCode: 0, baseOffset: end };
  }

  /** Record counts in log order for a partition (each batch's sequence range). */
  sequences(partition: number): number[] {
    const out: number[] = [];
    for (const s of this.logs.get(`${this.topic}-${partition}`) ?? []) {
      for (let i = 0; i < s.count; i++) out.push(s.baseSequence + i);
    }
    return out;
  }
}

/**
 * A producer whose only broker is `broker`, logging nothing. Retries back off 5 ms unless
 * `options` say otherwise, so tests that inject retriable errors do not wait on the default.
 */
export function producerOn(broker: FakeBroker, options: ProducerOptions = {}): Producer {
  return new Producer(
    {
      transport: broker,
      logger: nullLogger,
      instrumentation: new InstrumentationEmitter<ProducerEventMap>(),
    },
    { retryBackoffMs: 5, ...options },
  );
}
