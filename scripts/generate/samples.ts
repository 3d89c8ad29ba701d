/**
 * Sample values for the round-trip and fuzz tests, built from the same model the codecs were
 * generated from: every field present in a version gets a non-default value (or null, in the
 * "nulls" variant, where the version allows it), every field the version lacks gets its default,
 * which is what decoding fills in.
 */
import type { DefaultValue, FieldModel, StructModel } from './model.js';

export type Variant = 'full' | 'nulls';

function inRange(r: { lo: number; hi: number } | null, v: number): boolean {
  return r !== null && v >= r.lo && v <= r.hi;
}

export function defaultOf(f: FieldModel): unknown {
  return defaultValue(f.default, f);
}

function defaultValue(d: DefaultValue, f: FieldModel): unknown {
  switch (d.kind) {
    case 'number':
    case 'bigint':
    case 'bool':
    case 'string':
    case 'uuid':
      return d.value;
    case 'null':
      return null;
    case 'empty':
      return f.type.kind === 'array' ? [] : Buffer.alloc(0);
    case 'struct':
      if (f.type.kind !== 'struct') throw new Error('struct default on a non-struct');
      return defaultStruct(f.type.struct);
  }
}

export function defaultStruct(s: StructModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of s.fields) out[f.name] = defaultOf(f);
  return out;
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SampleBuilder {
  private n = 0;
  constructor(private readonly variant: Variant) {}

  struct(s: StructModel, v: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of s.fields) out[f.name] = inRange(f.present, v) ? this.value(f, v) : defaultOf(f);
    return out;
  }

  private value(f: FieldModel, v: number): unknown {
    if (this.variant === 'nulls' && inRange(f.nullable, v)) return null;
    const t = f.type;
    if (t.kind === 'struct') return this.struct(t.struct, v);
    if (t.kind === 'array') {
      const count = this.variant === 'nulls' ? 1 : 2;
      const out: unknown[] = [];
      for (let i = 0; i < count; i++) {
        out.push(t.elem.kind === 'struct' ? this.struct(t.elem.struct, v) : this.prim(t.elem.prim, f));
      }
      return out;
    }
    return this.prim(t.prim, f);
  }

  private prim(prim: string, f: FieldModel): unknown {
    const k = ++this.n;
    const d =
      f.default.kind === 'number' || f.default.kind === 'bigint' || f.default.kind === 'bool'
        ? f.default.value
        : undefined;
    const avoid = <T>(x: T, alt: T): T => (x === d ? alt : x);
    switch (prim) {
      case 'int8':
        return avoid(-(k % 100) - 2, 7);
      case 'int16':
        return avoid(1000 + k, -1000 - k);
      case 'int32':
        return avoid(-100000 - k, 100000 + k);
      case 'int64':
        return avoid(-(2n ** 40n) - BigInt(k), 2n ** 40n + BigInt(k));
      case 'uint16':
        return avoid(60000 + (k % 5000), 1);
      case 'uint32':
        return avoid(4000000000 + k, 1);
      case 'float64':
        return avoid(k + 0.25, -0.5);
      case 'bool':
        return d !== true;
      case 'string':
        return `s${k}-é€`;
      case 'bytes':
        return Buffer.from([k & 0xff, 0, 0xff, 1]);
      case 'records':
        return Buffer.from(`records-${k}`);
      case 'uuid': {
        const b = Buffer.alloc(16);
        for (let i = 0; i < 16; i++) b[i] = (k * 31 + i * 7) & 0xff;
        return b.toString('base64url');
      }
    }
    throw new Error(`unknown primitive ${prim}`);
  }
}
