/**
 * The benchmark's scenarios; their names are the keys of bench/results/latest.json, and the
 * names issue 17 lists (produce-100b, produce-10kb, produce-100b-rf3, consume-100b,
 * consume-1kb-zstd, e2e-latency-10k) are a contract that checks read.
 */
import type { Codec, Scenario, ScenarioKind } from './types.js';

export interface ScenarioDef {
  name: string;
  kind: ScenarioKind;
  count: number;
  size: number;
  codec?: Codec;
  partitions?: number;
  keyed?: boolean;
  headers?: boolean;
  processes?: number;
  cluster?: 'single' | 'rf3';
  rate?: number;
  seconds?: number;
  members?: number;
  /** Runs in the `own` profile too (each client at its own defaults). */
  ownDefaults?: boolean;
  description: string;
}

export const SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'produce-100b',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    ownDefaults: true,
    description: '1M × 100 B keyless, unthrottled',
  },
  {
    name: 'produce-100b-keyed',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    keyed: true,
    description: '1M × 100 B keyed (10,000 keys)',
  },
  { name: 'produce-1kb', kind: 'produce', count: 300_000, size: 1024, description: '300k × 1 KB keyless' },
  {
    name: 'produce-1kb-headers',
    kind: 'produce',
    count: 300_000,
    size: 1024,
    keyed: true,
    headers: true,
    description: '300k × 1 KB keyed, two headers per record',
  },
  { name: 'produce-10kb', kind: 'produce', count: 40_000, size: 10_240, description: '40k × 10 KB keyless' },
  {
    name: 'produce-1kb-lz4',
    kind: 'produce',
    count: 300_000,
    size: 1024,
    codec: 'lz4',
    description: '300k × 1 KB, LZ4',
  },
  {
    name: 'produce-1kb-zstd',
    kind: 'produce',
    count: 300_000,
    size: 1024,
    codec: 'zstd',
    description: '300k × 1 KB, ZSTD',
  },
  {
    name: 'produce-100b-120p',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    partitions: 120,
    description: '1M × 100 B keyless into 120 partitions',
  },
  {
    name: 'produce-100b-4proc',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    processes: 4,
    description: '1M × 100 B from 4 producer processes at once (250k each)',
  },
  {
    name: 'consume-100b',
    kind: 'consume',
    count: 1_000_000,
    size: 100,
    ownDefaults: true,
    description: '1M × 100 B from the beginning, one consumer, per-message handler',
  },
  {
    name: 'consume-100b-batch',
    kind: 'consume-batch',
    count: 1_000_000,
    size: 100,
    description: '1M × 100 B, one consumer, per-batch handler',
  },
  {
    name: 'consume-1kb',
    kind: 'consume',
    count: 300_000,
    size: 1024,
    description: '300k × 1 KB, one consumer',
  },
  {
    name: 'consume-10kb',
    kind: 'consume',
    count: 40_000,
    size: 10_240,
    description: '40k × 10 KB, one consumer',
  },
  {
    name: 'consume-1kb-lz4',
    kind: 'consume',
    count: 300_000,
    size: 1024,
    codec: 'lz4',
    description: '300k × 1 KB written with LZ4',
  },
  {
    name: 'consume-1kb-zstd',
    kind: 'consume',
    count: 300_000,
    size: 1024,
    codec: 'zstd',
    description: '300k × 1 KB written with ZSTD',
  },
  {
    name: 'consume-100b-120p',
    kind: 'consume',
    count: 1_000_000,
    size: 100,
    partitions: 120,
    description: '1M × 100 B from 120 partitions',
  },
  {
    name: 'consume-group-3',
    kind: 'consume-group',
    count: 1_000_000,
    size: 100,
    members: 3,
    description: '1M × 100 B, three members of one group in one process (redeliveries counted apart)',
  },
  {
    name: 'e2e-latency-1k',
    kind: 'e2e',
    count: 0,
    size: 100,
    rate: 1000,
    seconds: 30,
    description: '1,000 msgs/s × 100 B for 30 s, produce → consume',
  },
  {
    name: 'e2e-latency-10k',
    kind: 'e2e',
    count: 0,
    size: 100,
    rate: 10_000,
    seconds: 30,
    description: '10,000 msgs/s × 100 B for 30 s, produce → consume',
  },
  {
    name: 'e2e-latency-50k',
    kind: 'e2e',
    count: 0,
    size: 100,
    rate: 50_000,
    seconds: 20,
    description: '50,000 msgs/s × 100 B for 20 s, produce → consume',
  },
  // Last: it starts a 3-node cluster, the slowest step, and stops it afterwards.
  {
    name: 'produce-100b-rf3',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    cluster: 'rf3',
    description: '1M × 100 B on a 3-node cluster, replication factor 3, min.insync.replicas 2, acks=all',
  },
];

export function scenarioDef(name: string): ScenarioDef {
  const def = SCENARIOS.find((s) => s.name === name);
  if (!def) {
    throw new Error(`unknown scenario '${name}'; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return def;
}

/** The scenario with counts (and the e2e run's duration) multiplied by `scale`. */
export function scaled(def: ScenarioDef, scale: number): Scenario {
  const s: Scenario = {
    name: def.name,
    kind: def.kind,
    count: Math.max(2000, Math.round(def.count * scale)),
    size: def.size,
    codec: def.codec ?? 'none',
    partitions: def.partitions ?? 6,
    keyed: def.keyed ?? false,
    headers: def.headers ?? false,
    processes: def.processes ?? 1,
    cluster: def.cluster ?? 'single',
  };
  if (def.rate !== undefined && def.seconds !== undefined) {
    s.rate = def.rate;
    s.seconds = Math.max(2, Math.round(def.seconds * scale * 10) / 10);
    s.count = Math.round(s.rate * s.seconds);
  }
  if (def.members !== undefined) s.members = def.members;
  // Each process sends an equal share.
  s.count -= s.count % s.processes;
  return s;
}

/** Consume scenarios read a topic filled once per (size, codec, partitions, count). */
export function sourceKey(s: Scenario): string {
  return `${s.size}b-${s.codec}-${s.partitions}p-${s.count}`;
}
