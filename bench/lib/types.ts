/**
 * The shapes passed between the orchestrator (bench/run.ts), the per-run child process
 * (bench/child.ts), the Java harness (bench/java) and the client runners (bench/clients/*.ts).
 */

export const CLIENTS = ['kafkats', 'kafkajs', 'platformatic', 'rdkafka', 'java'] as const;
export type ClientName = (typeof CLIENTS)[number];

export type ScenarioKind = 'produce' | 'e2e' | 'consume' | 'consume-batch' | 'consume-group';
export type Codec = 'none' | 'lz4' | 'zstd';

/** Which settings the clients run with: equal (kafkats's defaults for all) or each one's own. */
export type Profile = 'fair' | 'own';

/** One scenario as the runners see it (counts already scaled). */
export interface Scenario {
  name: string;
  kind: ScenarioKind;
  /** Records to produce or consume (for `e2e`: rate × seconds), over all processes. */
  count: number;
  /** Value size in bytes. */
  size: number;
  codec: Codec;
  partitions: number;
  /** Records carry a key (`user-<n>`, 10,000 distinct), so the key partitioner places them. */
  keyed: boolean;
  /** Records carry two headers (trace id, content type). */
  headers: boolean;
  /** Producer processes run at once (each sends count / processes). */
  processes: number;
  /** `rf3`: a 3-node cluster, replication factor 3, min.insync.replicas 2. */
  cluster: 'single' | 'rf3';
  /** `e2e` only: records per second and for how long. */
  rate?: number;
  seconds?: number;
  /** `consume-group` only: members of the one group. */
  members?: number;
}

/** The settings a client ran with, as the report states them. */
export interface ClientSettings {
  profile: Profile;
  /** Producer batch size in bytes, or a sentence where the client has no such knob. */
  batchSize: number | string;
  lingerMs: number | string;
  acks: string;
  idempotence: boolean | string;
  compression: Codec;
  /** Whether the consumer checks record-batch CRCs. */
  crc: boolean | string;
  /** Node or JVM version the client ran on. */
  runtime: string;
  /** Anything that differs from the other clients and why. */
  notes?: string[];
}

/** What a child gets: one client, one scenario, one topic on one cluster. */
export interface RunSpec {
  client: ClientName;
  scenario: Scenario;
  brokers: string[];
  topic: string;
  /** A fresh consumer group id per run (consume scenarios). */
  groupId: string;
  /** Where a client may keep files (the Java classpath cache). */
  cacheDir: string;
  profile: Profile;
  /** The data set file (count × size bytes) and this process's slice of it. */
  dataFile: string;
  seqBase: number;
  /** Records this process sends (produce), or the topic's record count (consume). */
  count: number;
  /** Untimed records sent first through the same path (warms JITs and connections). */
  warmup: number;
  /** kafkats only, for tuning experiments: options merged into producer() / consumer(). */
  clientOptions?: { producer?: Record<string, unknown>; consumer?: Record<string, unknown> };
}

/** What a runner measures; the child adds CPU and memory. */
export interface RunnerResult {
  /** Records acknowledged (produce) or distinct records consumed (consume, e2e). */
  count: number;
  /** Value bytes moved (count × size). */
  bytes: number;
  /** Seconds of the measured phase (produce: first send to last ack; consume: first to last record). */
  seconds: number;
  /** Wall-clock epoch milliseconds of the measured phase (to combine parallel processes). */
  startEpochMs?: number;
  endEpochMs?: number;
  /** Milliseconds from start (connect) to the first record (consume scenarios). */
  startupMs?: number;
  /** Consume and e2e: deliveries of a (partition, offset) or record already seen. */
  duplicates?: number;
  /** Produce: sends that failed (any failure fails the gate). */
  failedSends?: number;
  /** e2e latency percentiles in milliseconds, from each record's scheduled send time. */
  p50Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  /**
   * e2e: the run was stopped because the client fell SATURATION_MS behind its schedule (lib/e2e.ts):
   * `received` records (warm-up included) had arrived. `count` / `seconds` is then the rate it
   * delivered since the schedule began, and no percentiles are given.
   */
  saturated?: { received: number; behindMs: number };
  /** When the client ran something else than asked (say why). */
  note?: string;
}

/** The verdict of a run's verification gate. */
export interface Gate {
  verified: boolean;
  /** What was checked, and what failed. */
  detail: string;
}

/** One finished run as the orchestrator records it. */
export interface RunRecord extends RunnerResult {
  round: number;
  msgsPerSec: number;
  /** Consume: records ÷ (connect → last record); set when the report is made. */
  msgsPerSecFromConnect?: number;
  mbPerSec: number;
  /** Client CPU seconds (user + system) of the measured run, native threads included. */
  cpuSec: number;
  cpuUsPerMsg: number;
  /** Peak resident set of the client process in MiB, less the data set it holds. */
  rssMb: number;
  /** Wall time of the whole child, start-up included. */
  wallSec: number;
  verified: boolean;
  gate: string;
}

export interface ChildReport {
  result: RunnerResult;
  cpuSec: number;
  rssMb: number;
}

/** The prefix of the one stdout line a child reports its result on. */
export const RESULT_PREFIX = 'KAFKATS_BENCH_RESULT ';

/** A runner module in bench/clients exports one of these per kind it supports. */
export type Runner = (spec: RunSpec, data: import('./data.js').Dataset) => Promise<RunnerResult>;
export type RunnerName = 'produce' | 'e2e' | 'consume' | 'consumeBatch' | 'consumeGroup';
export const RUNNER_OF: Record<ScenarioKind, RunnerName> = {
  produce: 'produce',
  e2e: 'e2e',
  consume: 'consume',
  'consume-batch': 'consumeBatch',
  'consume-group': 'consumeGroup',
};
export type ClientModule = Partial<Record<RunnerName, Runner>> & {
  /** Loads the client's package before the CPU clock starts (module load is not measured). */
  preload?: () => Promise<void>;
};
