/** The benchmark's scenarios; their names are the keys of bench/results/latest.json. */
import type { Codec, Scenario, ScenarioKind } from './types.js';

interface ScenarioDef {
  name: string;
  kind: ScenarioKind;
  count: number;
  size: number;
  codec: Codec;
  rate?: number;
  seconds?: number;
  members?: number;
  /** Which topic the consume scenarios read (filled once, before their first run). */
  source?: string;
  description: string;
}

export const SCENARIOS: readonly ScenarioDef[] = [
  {
    name: 'produce-100b',
    kind: 'produce',
    count: 1_000_000,
    size: 100,
    codec: 'none',
    description: '1M × 100 B, unthrottled, acks=all, idempotent where supported',
  },
  {
    name: 'produce-1kb-lz4',
    kind: 'produce',
    count: 200_000,
    size: 1024,
    codec: 'lz4',
    description: '200k × 1 KB, LZ4, acks=all',
  },
  {
    name: 'produce-1kb-zstd',
    kind: 'produce',
    count: 200_000,
    size: 1024,
    codec: 'zstd',
    description: '200k × 1 KB, ZSTD, acks=all',
  },
  {
    name: 'produce-latency',
    kind: 'latency',
    count: 100_000,
    size: 100,
    codec: 'none',
    rate: 5000,
    seconds: 20,
    description: '5,000 msg/s × 100 B for 20 s, ack latency p50/p99',
  },
  {
    name: 'consume-100b',
    kind: 'consume',
    count: 1_000_000,
    size: 100,
    codec: 'none',
    source: 'consume-100b',
    description: '1M × 100 B from the beginning, one consumer, per-message handler',
  },
  {
    name: 'consume-100b-batch',
    kind: 'consume-batch',
    count: 1_000_000,
    size: 100,
    codec: 'none',
    source: 'consume-100b',
    description: '1M × 100 B from the beginning, one consumer, per-batch handler',
  },
  {
    name: 'consume-group-3',
    kind: 'consume-group',
    count: 1_000_000,
    size: 100,
    codec: 'none',
    members: 3,
    source: 'consume-100b',
    description: '1M × 100 B, three members of one group in one process',
  },
];

export function scenarioDef(name: string): ScenarioDef {
  const def = SCENARIOS.find((s) => s.name === name);
  if (!def) {
    throw new Error(`unknown scenario '${name}'; choose from ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return def;
}

/** The scenario with counts (and the latency run's duration) multiplied by `scale`. */
export function scaled(def: ScenarioDef, scale: number): Scenario & { source?: string } {
  const s: Scenario & { source?: string } = {
    name: def.name,
    kind: def.kind,
    count: Math.max(1000, Math.round(def.count * scale)),
    size: def.size,
    codec: def.codec,
  };
  if (def.rate !== undefined && def.seconds !== undefined) {
    s.rate = def.rate;
    s.seconds = Math.max(2, Math.round(def.seconds * scale * 10) / 10);
    s.count = Math.round(s.rate * s.seconds);
  }
  if (def.members !== undefined) s.members = def.members;
  if (def.source !== undefined) s.source = def.source;
  return s;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The record value every client sends: half random characters, half a repeated letter, so that
 * LZ4 and ZSTD have something (but not everything) to squeeze. Deterministic, so that every
 * client compresses exactly the same bytes, and printable ASCII without newlines, so that Java's
 * ProducerPerformance can send the very same value from a --payload-file.
 */
export function payload(size: number): Buffer {
  const buf = Buffer.alloc(size, 'a');
  let x = 0x9e3779b9;
  const half = Math.floor(size / 2);
  for (let i = 0; i < half; i++) {
    // xorshift32: cheap, seeded, good enough to defeat a compressor.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    buf[i] = ALPHABET.charCodeAt(x & 63);
  }
  return buf;
}
