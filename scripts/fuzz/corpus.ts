/**
 * The fuzzer's starting inputs, built at run time (nothing binary is committed): every response of
 * every API version encoded by the generated encoders from sample values, with real record sets in
 * the `records` fields of Fetch and ShareFetch; record sets in every codec and format (v2, legacy
 * v0/v1, control batches, several batches in a row); compressed payloads of every codec; and, with
 * `--capture`, answers recorded from a live broker.
 */

import { readFileSync } from 'node:fs';
import {
  apiByKey,
  CompressionTypes,
  compress,
  crc32,
  encodeControlKey,
  encodeEndTxnMarkerValue,
  encodeRecordBatch,
  encodeResponseFrame,
  loadCompressionCodec,
} from '../../src/protocol/index.js';
import { generateFrom, loadSource } from '../generate/generate.js';
import { DEFAULT_SPECS } from '../generate/paths.js';
import { SampleBuilder } from '../generate/samples.js';

export type Entry =
  | { kind: 'response'; name: string; apiKey: number; version: number; bytes: Buffer }
  | { kind: 'records'; name: string; bytes: Buffer }
  | { kind: 'compressed'; name: string; codec: number; bytes: Buffer };

export interface Corpus {
  response: Entry[];
  records: Entry[];
  compressed: Entry[];
}

const CODECS = Object.entries(CompressionTypes) as [string, number][];

/** A legacy (magic 0 or 1) message, as brokers before 0.11 wrote them. */
function legacyMessage(magic: 0 | 1, offset: number, attributes: number, value: Buffer): Buffer {
  const tsLen = magic === 1 ? 8 : 0;
  const body = Buffer.alloc(2 + tsLen + 4 + 4 + value.length);
  body[0] = magic;
  body[1] = attributes;
  if (magic === 1) body.writeBigInt64BE(1_700_000_000_000n, 2);
  body.writeInt32BE(-1, 2 + tsLen); // null key
  body.writeInt32BE(value.length, 6 + tsLen);
  value.copy(body, 10 + tsLen);
  const head = Buffer.alloc(16);
  head.writeBigInt64BE(BigInt(offset));
  head.writeInt32BE(body.length + 4, 8);
  head.writeUInt32BE(crc32(body), 12);
  return Buffer.concat([head, body]);
}

function records(n: number, size: number) {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
    value: i % 5 === 4 ? null : Buffer.from(`value-${i}-`.repeat(1 + ((i * size) % 7))),
    headers: i % 2 ? [{ key: `h${i}`, value: i % 4 === 1 ? null : Buffer.from('hv') }] : [],
    timestamp: 1_700_000_000_000 + i,
  }));
}

async function recordSets(): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const [name, compression] of CODECS) {
    const one = await encodeRecordBatch({ compression: compression as never, records: records(6, 3) });
    out.push({ kind: 'records', name: `v2 ${name}`, bytes: one });
    const idempotent = await encodeRecordBatch({
      compression: compression as never,
      baseOffset: 100,
      producerId: 7,
      producerEpoch: 1,
      baseSequence: 0,
      transactional: true,
      records: records(3, 11),
    });
    out.push({
      kind: 'records',
      name: `v2 ${name} transactional + next`,
      bytes: Buffer.concat([one, idempotent]),
    });
  }
  const marker = await encodeRecordBatch({
    control: true,
    transactional: true,
    producerId: 7,
    baseOffset: 103,
    records: [{ key: encodeControlKey(1), value: encodeEndTxnMarkerValue(5), timestamp: 1_700_000_000_000 }],
  });
  out.push({ kind: 'records', name: 'v2 commit marker', bytes: marker });
  const plain = [legacyMessage(1, 0, 0, Buffer.from('a')), legacyMessage(1, 1, 0, Buffer.from('bb'))];
  out.push({ kind: 'records', name: 'legacy v1', bytes: Buffer.concat(plain) });
  out.push({
    kind: 'records',
    name: 'legacy v0',
    bytes: Buffer.concat([
      legacyMessage(0, 0, 0, Buffer.from('x')),
      legacyMessage(0, 1, 0, Buffer.from('yy')),
    ]),
  });
  const inner = Buffer.concat(plain);
  for (const codec of [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4]) {
    const wrapped = legacyMessage(1, 1, codec, await compress(codec, inner));
    out.push({ kind: 'records', name: `legacy v1 wrapper codec ${codec}`, bytes: wrapped });
  }
  return out;
}

async function compressedPayloads(): Promise<Entry[]> {
  const out: Entry[] = [];
  const text = Buffer.from('kafkats fuzz payload '.repeat(40));
  const mixed = Buffer.alloc(3000);
  for (let i = 0; i < mixed.length; i++) mixed[i] = (i * 31) % 7 === 0 ? i & 0xff : 0x61;
  for (const [name, codec] of CODECS) {
    if (codec === CompressionTypes.None) continue;
    out.push({ kind: 'compressed', name: `${name} text`, codec, bytes: await compress(codec, text) });
    out.push({ kind: 'compressed', name: `${name} mixed`, codec, bytes: await compress(codec, mixed) });
  }
  return out;
}

/** Replaces every `records` byte field in a sample with a real record set. */
function withRecordSets(value: unknown, sets: Entry[], counter: { n: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => withRecordSets(v, sets, counter));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'records' && Buffer.isBuffer(v)
        ? sets[counter.n++ % sets.length]!.bytes
        : withRecordSets(v, sets, counter);
  }
  return out;
}

/** Answers recorded by `--capture` (scripts/fuzz/capture.ts), read back from the file the runner wrote. */
function capturedEntries(path: string): Entry[] {
  const saved = JSON.parse(readFileSync(path, 'utf8')) as Array<{
    apiKey: number;
    version: number;
    frame: string;
  }>;
  return saved.map((a, i) => ({
    kind: 'response' as const,
    name: `captured ${apiByKey(a.apiKey)?.name ?? a.apiKey} v${a.version} #${i}`,
    apiKey: a.apiKey,
    version: a.version,
    bytes: Buffer.from(a.frame, 'base64'),
  }));
}

export async function buildCorpus(capturedPath?: string): Promise<Corpus> {
  for (const [, codec] of CODECS) await loadCompressionCodec(codec);
  const recordEntries = await recordSets();
  const { model } = generateFrom(loadSource({}, DEFAULT_SPECS));
  const response: Entry[] = [];
  const counter = { n: 0 };
  for (const apiModel of model.apis) {
    const api = apiByKey(apiModel.apiKey);
    if (!api) throw new Error(`no generated codec for api key ${apiModel.apiKey}`);
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      for (const variant of ['full', 'nulls'] as const) {
        const sample = withRecordSets(
          new SampleBuilder(variant).struct(apiModel.response.root, v),
          recordEntries,
          counter,
        );
        const frame = encodeResponseFrame(api, v, 1234, sample as never);
        response.push({
          kind: 'response',
          name: `${api.name} v${v} ${variant}`,
          apiKey: api.apiKey,
          version: v,
          bytes: frame.subarray(4),
        });
      }
    }
  }
  if (capturedPath) response.push(...capturedEntries(capturedPath));
  return { response, records: recordEntries, compressed: await compressedPayloads() };
}
