/**
 * Shared pieces of the reliability suite: topic creation, reading a topic back with kcat (a
 * different client, so the log is checked independently of ours), the produced / acknowledged /
 * in-log / duplicate / lost tally, a log sink that records everything, and small waits.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, type KafkaConfig } from '../../src/kafka.js';
import { type LogCreator, type LogEntry, logLevel } from '../../src/logger.js';
import { Codes } from '../../src/protocol/codes.js';
import { CreateTopics } from '../../src/protocol/messages/create-topics.js';

const run = promisify(execFile);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Every log entry of every client that used it, at DEBUG, serialized as the default logger would. */
export class LogRecorder {
  readonly lines: string[] = [];
  readonly logCreator: LogCreator = () => (entry: LogEntry) => {
    this.lines.push(JSON.stringify({ ns: entry.namespace, level: entry.label, ...entry.log }, bigintSafe));
  };
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Creates a topic with a raw CreateTopics and waits until every partition has a leader. */
export async function createTopic(
  brokers: string[],
  name: string,
  partitions: number,
  replicationFactor = 1,
  configs: Record<string, string> = {},
  extra: Partial<KafkaConfig> = {},
): Promise<void> {
  const k = new Kafka({ clientId: 'reliability-setup', brokers, logLevel: logLevel.NOTHING, ...extra });
  const cluster = k.cluster();
  try {
    await cluster.connect();
    const connection = await cluster.anyConnection();
    const res = await connection.send(CreateTopics, {
      topics: [
        {
          name,
          numPartitions: partitions,
          replicationFactor,
          assignments: [],
          configs: Object.entries(configs).map(([n, value]) => ({ name: n, value })),
        },
      ],
      timeoutMs: 30000,
      validateOnly: false,
    });
    const code = res.topics[0]?.errorCode ?? 0;
    if (code !== 0 && code !== Codes.TOPIC_ALREADY_EXISTS)
      throw new Error(`CreateTopics ${name}: error ${code} ${res.topics[0]?.errorMessage ?? ''}`);
    for (let i = 0; i < 200; i++) {
      await cluster.refreshMetadata([name]);
      const m = cluster.metadata.topics.get(name);
      if (
        m &&
        m.errorCode === 0 &&
        m.partitions.length === partitions &&
        m.partitions.every((p) => p.leader >= 0)
      )
        return;
      await sleep(100);
    }
    throw new Error(`topic ${name} has no leaders after 20 s`);
  } finally {
    await cluster.disconnect();
  }
}

/** The values of a whole topic, read with kcat over PLAINTEXT. */
export async function kcatValues(bootstrap: string, topic: string): Promise<string[]> {
  const { stdout } = await run(
    'kcat',
    ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'],
    { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  return stdout.split('\n').filter((l) => l !== '');
}

/** What a delivery test reports, and what docs/reliability.md tabulates. */
export interface Tally {
  produced: number;
  acknowledged: number;
  failedSends: number;
  inLog: number;
  duplicates: number;
  /** Acknowledged but not in the log. */
  lost: number;
}

/** Compares what was acknowledged with what the log holds (values are unique ids). */
export function tally(
  produced: number,
  acknowledged: Iterable<string>,
  failedSends: number,
  log: string[],
): Tally {
  const counts = new Map<string, number>();
  for (const v of log) counts.set(v, (counts.get(v) ?? 0) + 1);
  let duplicates = 0;
  for (const n of counts.values()) if (n > 1) duplicates += n - 1;
  let lost = 0;
  let acked = 0;
  for (const v of acknowledged) {
    acked++;
    if (!counts.has(v)) lost++;
  }
  return { produced, acknowledged: acked, failedSends, inLog: log.length, duplicates, lost };
}

export function printTally(label: string, t: Tally): void {
  console.log(
    `[figures] ${label}: produced ${t.produced}, acknowledged ${t.acknowledged}, failed sends ${t.failedSends}, ` +
      `in log ${t.inLog}, duplicates ${t.duplicates}, lost ${t.lost}`,
  );
}

/**
 * Sends `perSend` unique values per `send()` with at most `maxOutstanding` sends in flight, until
 * stopped. Each value is `<prefix>-<n>`; acknowledged values are recorded, failures counted.
 */
/**
 * A set of `<prefix>-<n>` ids kept as one bitmap per prefix (anything else in a plain Set), so
 * the bookkeeping of a long run stays a few bytes per thousand records: the soak measures the
 * client's heap, and a Set of strings growing with every record would drown it.
 */
export class IdSet implements Iterable<string> {
  private readonly bits = new Map<string, Uint8Array>();
  private readonly other = new Set<string>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(value: string): this {
    const id = splitId(value);
    if (!id) {
      if (!this.other.has(value)) this.count++;
      this.other.add(value);
      return this;
    }
    let b = this.bits.get(id.prefix);
    const byte = id.n >> 3;
    if (!b || byte >= b.length) {
      const grown = new Uint8Array(Math.max(1024, (byte + 1) * 2));
      if (b) grown.set(b);
      b = grown;
      this.bits.set(id.prefix, b);
    }
    const mask = 1 << (id.n & 7);
    if ((b[byte]! & mask) === 0) {
      b[byte]! |= mask;
      this.count++;
    }
    return this;
  }

  has(value: string): boolean {
    const id = splitId(value);
    if (!id) return this.other.has(value);
    const b = this.bits.get(id.prefix);
    const byte = id.n >> 3;
    return b !== undefined && byte < b.length && (b[byte]! & (1 << (id.n & 7))) !== 0;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const [prefix, b] of this.bits)
      for (let i = 0; i < b.length; i++) {
        if (b[i] === 0) continue;
        for (let j = 0; j < 8; j++) if (b[i]! & (1 << j)) yield `${prefix}-${i * 8 + j}`;
      }
    yield* this.other;
  }
}

/** Delivery counts of `<prefix>-<n>` ids, one byte each (saturating at 255). */
class IdCounts {
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly other = new Map<string, number>();
  size = 0;

  /** Counts one delivery; returns the count before it. */
  bump(value: string): number {
    const id = splitId(value);
    if (!id) {
      const n = this.other.get(value) ?? 0;
      if (n === 0) this.size++;
      this.other.set(value, n + 1);
      return n;
    }
    let b = this.bytes.get(id.prefix);
    if (!b || id.n >= b.length) {
      const grown = new Uint8Array(Math.max(8192, (id.n + 1) * 2));
      if (b) grown.set(b);
      b = grown;
      this.bytes.set(id.prefix, b);
    }
    const n = b[id.n]!;
    if (n === 0) this.size++;
    if (n < 255) b[id.n] = n + 1;
    return n;
  }

  has(value: string): boolean {
    const id = splitId(value);
    if (!id) return this.other.has(value);
    const b = this.bytes.get(id.prefix);
    return b !== undefined && id.n < b.length && b[id.n]! > 0;
  }
}

function splitId(value: string): { prefix: string; n: number } | undefined {
  const dash = value.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const tail = value.slice(dash + 1);
  if (!/^(0|[1-9][0-9]{0,8})$/.test(tail)) return undefined;
  return { prefix: value.slice(0, dash), n: Number(tail) };
}

export class ProduceStream {
  produced = 0;
  readonly acknowledged = new IdSet();
  readonly errors: unknown[] = [];
  private stopping = false;
  private loop: Promise<void> | undefined;
  private lastAckAt = Date.now();

  constructor(
    private readonly producer: {
      send(r: { topic: string; messages: { key?: string; value: string }[] }): Promise<unknown>;
    },
    private readonly topic: string,
    private readonly prefix: string,
    private readonly perSend = 10,
    private readonly maxOutstanding = 20,
    private readonly pauseMs = 0,
  ) {}

  get failedSends(): number {
    return this.errors.length;
  }

  /** Milliseconds since the last acknowledgement. */
  get sinceLastAck(): number {
    return Date.now() - this.lastAckAt;
  }

  start(): this {
    this.loop = this.run();
    return this;
  }

  private async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let n = 0;
    while (!this.stopping) {
      if (inFlight.size >= this.maxOutstanding) {
        await Promise.race(inFlight);
        continue;
      }
      const values: string[] = [];
      for (let i = 0; i < this.perSend; i++) values.push(`${this.prefix}-${n++}`);
      this.produced += values.length;
      const p = this.producer
        .send({ topic: this.topic, messages: values.map((value) => ({ key: value, value })) })
        .then(
          () => {
            for (const v of values) this.acknowledged.add(v);
            this.lastAckAt = Date.now();
          },
          (error: unknown) => {
            this.errors.push(error);
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (this.pauseMs > 0) await sleep(this.pauseMs);
      else await new Promise((r) => setImmediate(r));
    }
    await Promise.all(inFlight);
  }

  /** Waits until `count` more values are acknowledged. */
  async waitForAcks(count: number, ms: number, what: string): Promise<void> {
    const target = this.acknowledged.size + count;
    await waitFor(() => this.acknowledged.size >= target, ms, what);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }
}

/**
 * What a consuming test records: every delivery of every value (values are unique ids), by
 * partition and offset, so that duplicates can be counted and placed relative to the last commit.
 */
export class ConsumeLog {
  /** Deliveries per value. */
  private readonly counts = new IdCounts();
  deliveries = 0;
  /** Highest offset delivered per partition, and the redeliveries (offset ≤ that) seen. */
  private readonly highest = new Map<number, number>();
  readonly redelivered: { partition: number; offset: number; committed: number }[] = [];
  /** Last committed offset (next to read) per partition, from `consumer.commit_offsets` events. */
  readonly committed = new Map<number, number>();

  record(partition: number, offset: string, value: string): void {
    this.deliveries++;
    this.counts.bump(value);
    const o = Number(offset);
    const high = this.highest.get(partition) ?? -1;
    if (o <= high)
      this.redelivered.push({ partition, offset: o, committed: this.committed.get(partition) ?? 0 });
    else this.highest.set(partition, o);
  }

  /** Listener for `consumer.commit_offsets` (any member of the group). */
  onCommit = (e: { payload: Record<string, unknown> }): void => {
    const topics = e.payload.topics as { partitions: { partition: string; offset: string }[] }[];
    for (const t of topics)
      for (const p of t.partitions) {
        const n = Number(p.partition);
        this.committed.set(n, Math.max(this.committed.get(n) ?? 0, Number(p.offset)));
      }
  };

  get consumed(): number {
    return this.counts.size;
  }

  get duplicates(): number {
    return this.deliveries - this.counts.size;
  }

  /** Acknowledged values never delivered. */
  unprocessed(acknowledged: Iterable<string>): string[] {
    const missing: string[] = [];
    for (const v of acknowledged) if (!this.counts.has(v)) missing.push(v);
    return missing;
  }

  /** Redeliveries of an offset below the committed offset known when it was redelivered. */
  get belowCommitted(): number {
    return this.redelivered.filter((r) => r.offset < r.committed).length;
  }
}

export function printConsumeTally(
  label: string,
  stream: {
    produced: number;
    acknowledged: { size: number } & Iterable<string>;
    failedSends: number;
    errors?: readonly unknown[];
  },
  log: ConsumeLog,
): void {
  const kinds = new Map<string, number>();
  for (const e of stream.errors ?? []) {
    const k = e instanceof Error ? `${e.name}: ${e.message.slice(0, 120)}` : String(e);
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  for (const [k, n] of kinds) console.log(`[figures] ${label}: failed send × ${n}: ${k}`);
  const byPartition = new Map<number, number>();
  for (const r of log.redelivered) byPartition.set(r.partition, (byPartition.get(r.partition) ?? 0) + 1);
  console.log(
    `[figures] ${label}: produced ${stream.produced}, acknowledged ${stream.acknowledged.size}, ` +
      `failed sends ${stream.failedSends}, consumed ${log.consumed} (${log.deliveries} deliveries), ` +
      `unprocessed ${log.unprocessed(stream.acknowledged).length}, duplicated ${log.duplicates}` +
      (byPartition.size > 0
        ? ` (by partition: ${[...byPartition].map(([p, n]) => `p${p} ${n}`).join(', ')}; ` +
          `below the committed offset: ${log.belowCommitted})`
        : ''),
  );
}
