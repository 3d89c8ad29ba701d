/**
 * Byte mutations for the fuzzer. Each case derives its own generator from (seed, case index), so
 * any case can be replayed alone (`--from N --cases 1`) without replaying the ones before it.
 */
import { prng } from '../generate/samples.js';

export type Rand = () => number;

/** The generator of case `index` in run `seed`: independent of every other case. */
export function caseRandom(seed: number, index: number): Rand {
  // splitmix-style mixing so that neighbouring indices give unrelated streams
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return prng((h ^ (h >>> 16)) >>> 0);
}

/** Values that sit on the edges decoders check: lengths of -1, 0, the sign bit, the maximum. */
const INT32_EDGES = [-1, 0, 1, -2, 0x7fffffff, -0x80000000, 0x7ffffff0, 0x10000, 255, 256];
const BYTE_EDGES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff];

export const MUTATIONS = [
  'truncate',
  'bit-flip',
  'byte-edge',
  'int32-edge',
  'varint-run',
  'delete-range',
  'insert-random',
  'duplicate-range',
  'splice',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

const int = (rnd: Rand, n: number) => Math.floor(rnd() * n);

/** Applies one mutation; `other` is another input of the same kind, for splicing. */
export function mutateOnce(kind: Mutation, input: Buffer, rnd: Rand, other: Buffer): Buffer {
  const len = input.length;
  switch (kind) {
    case 'truncate':
      return input.subarray(0, int(rnd, len + 1));
    case 'bit-flip': {
      const out = Buffer.from(input);
      const flips = 1 + int(rnd, 8);
      for (let i = 0; i < flips && len > 0; i++) out[int(rnd, len)]! ^= 1 << int(rnd, 8);
      return out;
    }
    case 'byte-edge': {
      const out = Buffer.from(input);
      if (len > 0) out[int(rnd, len)] = BYTE_EDGES[int(rnd, BYTE_EDGES.length)]!;
      return out;
    }
    case 'int32-edge': {
      const out = Buffer.from(input);
      if (len >= 4) out.writeInt32BE(INT32_EDGES[int(rnd, INT32_EDGES.length)]!, int(rnd, len - 3));
      return out;
    }
    case 'varint-run': {
      // a varint that never ends, or ends too late: 0xff bytes in a row
      const out = Buffer.from(input);
      const at = int(rnd, len + 1);
      for (let i = at; i < Math.min(len, at + 1 + int(rnd, 12)); i++) out[i] = 0xff;
      return out;
    }
    case 'delete-range': {
      const at = int(rnd, len + 1);
      const n = 1 + int(rnd, Math.max(1, Math.min(64, len - at)));
      return Buffer.concat([input.subarray(0, at), input.subarray(at + n)]);
    }
    case 'insert-random': {
      const at = int(rnd, len + 1);
      const junk = Buffer.alloc(1 + int(rnd, 32));
      for (let i = 0; i < junk.length; i++) junk[i] = int(rnd, 256);
      return Buffer.concat([input.subarray(0, at), junk, input.subarray(at)]);
    }
    case 'duplicate-range': {
      const at = int(rnd, len + 1);
      const n = int(rnd, Math.min(256, len - at) + 1);
      const piece = input.subarray(at, at + n);
      return Buffer.concat([input.subarray(0, at + n), piece, input.subarray(at + n)]);
    }
    case 'splice': {
      const cut = int(rnd, len + 1);
      return Buffer.concat([input.subarray(0, cut), other.subarray(int(rnd, other.length + 1))]);
    }
  }
}

/** One to three stacked mutations; returns the bytes and the names, for the report. */
export function mutate(input: Buffer, rnd: Rand, other: Buffer): { bytes: Buffer; steps: Mutation[] } {
  const steps: Mutation[] = [];
  let bytes = input;
  const n = 1 + int(rnd, 3);
  for (let i = 0; i < n; i++) {
    const kind = MUTATIONS[int(rnd, MUTATIONS.length)]!;
    steps.push(kind);
    bytes = mutateOnce(kind, bytes, rnd, other);
  }
  return { bytes, steps };
}
