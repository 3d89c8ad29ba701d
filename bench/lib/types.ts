/**
 * The shapes passed between the orchestrator (bench/run.ts), the per-run child process
 * (bench/child.ts) and the client runners (bench/clients/*.ts).
 */

export const CLIENTS = ['kafkats', 'kafkajs', 'platformatic', 'rdkafka', 'java'] as const;
export type ClientName = (typeof CLIENTS)[number];

export type ScenarioKind = 'produce' | 'latency' | 'consume' | 'consume-batch' | 'consume-group';
export type Codec = 'none' | 'lz4' | 'zstd';

/** One scenario as the runners see it (counts already scaled). */
export interface Scenario {
  name: string;
  kind: ScenarioKind;
  /** Records to produce or consume (for `latency`: rate × seconds). */
  count: number;
  /** Value size in bytes (keys are null). */
  size: number;
  codec: Codec;
  /** `latency` only: records per second and for how long. */
  rate?: number;
  seconds?: number;
  /** `consume-group` only: members of the one group. */
  members?: number;
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
  /** kafkats only, for tuning experiments: options merged into producer() / consumer(). */
  clientOptions?: { producer?: Record<string, unknown>; consumer?: Record<string, unknown> };
}

/** What a runner measures; the child adds CPU and memory. */
export interface RunnerResult {
  /** Records produced and acknowledged, or consumed. */
  count: number;
  /** Value bytes moved (count × size). */
  bytes: number;
  /** Seconds of the measured phase (produce: first send to last ack; consume: first to last record). */
  seconds: number;
  /** Milliseconds from start (connect) to the first record (consume scenarios). */
  startupMs?: number;
  /** Ack latency percentiles in milliseconds (latency scenario). */
  p50Ms?: number;
  p99Ms?: number;
  /** When the client ran something else than asked (say why). */
  note?: string;
}

/** One finished run as the orchestrator records it. */
export interface RunRecord extends RunnerResult {
  round: number;
  msgsPerSec: number;
  mbPerSec: number;
  /** Client CPU seconds (user + system) of the run, start to end, native threads included. */
  cpuSec: number;
  /** Peak resident set of the client process in MiB. */
  rssMb: number;
  /** Wall time of the whole child, start-up included. */
  wallSec: number;
}

export interface ChildReport {
  result: RunnerResult;
  cpuSec: number;
  rssMb: number;
}

/** The prefix of the one stdout line a child reports its result on. */
export const RESULT_PREFIX = 'KAFKATS_BENCH_RESULT ';

/** A runner module in bench/clients exports one of these per kind it supports. */
export type Runner = (spec: RunSpec) => Promise<RunnerResult>;
export type RunnerName = 'produce' | 'latency' | 'consume' | 'consumeBatch' | 'consumeGroup';
export const RUNNER_OF: Record<ScenarioKind, RunnerName> = {
  produce: 'produce',
  latency: 'latency',
  consume: 'consume',
  'consume-batch': 'consumeBatch',
  'consume-group': 'consumeGroup',
};
export type ClientModule = Partial<Record<RunnerName, Runner>> & {
  /** Why a kind is not run for this client (shown in the report instead of figures). */
  unsupported?: Partial<Record<RunnerName, string>>;
};
