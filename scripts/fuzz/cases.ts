/**
 * One fuzz case: pick a starting input from the corpus, mutate it, and feed it to the decoder
 * it belongs to. A decoder may return a value or throw KafkaProtocolError; anything else is a
 * finding.
 */
import { KafkaProtocolError } from '../../src/errors/base.js';
import { apiByKey, decodeRecordSet, decodeResponseFrame, decompressSync } from '../../src/protocol/index.js';
import type { Corpus, Entry } from './corpus.js';
import { caseRandom, type Mutation, mutate } from './mutate.js';

export type Target = Entry['kind'];

export interface CaseResult {
  index: number;
  target: Target;
  input: string;
  steps: Mutation[];
  /** decoded: a value came back; rejected: KafkaProtocolError; untyped: any other throw (a finding). */
  outcome: 'decoded' | 'rejected' | 'untyped';
  error?: string;
}

function decodeRecords(bytes: Buffer, verifyCrc: boolean): void {
  for (const batch of decodeRecordSet(bytes, { verifyCrc }).batches) batch.recordsSync();
}

/** The record sets inside a decoded Fetch or ShareFetch answer, as the consumer reads them. */
function recordFields(value: unknown, out: Buffer[] = []): Buffer[] {
  if (Array.isArray(value)) for (const v of value) recordFields(v, out);
  else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'records' && Buffer.isBuffer(v)) out.push(v);
      else recordFields(v, out);
    }
  }
  return out;
}

/**
 * Faults planted on purpose, so that a test can check that the runner reports each kind of
 * finding and goes on: `KAFKATS_FUZZ_INJECT=throw@12,hang@40,crash@70`.
 */
const INJECTED = new Map(
  (process.env.KAFKATS_FUZZ_INJECT ?? '')
    .split(',')
    .filter((s) => s.includes('@'))
    .map((s) => {
      const [kind, at] = s.split('@');
      return [Number(at), kind] as const;
    }),
);

function injectFault(index: number): void {
  const kind = INJECTED.get(index);
  if (kind === 'throw') throw new TypeError(`fault injected at case ${index}`);
  if (kind === 'hang') for (;;);
  if (kind === 'crash') process.abort();
}

function pick(list: Entry[], rnd: () => number): Entry {
  return list[Math.floor(rnd() * list.length)]!;
}

function feed(entry: Entry, bytes: Buffer, verifyCrc: boolean): void {
  switch (entry.kind) {
    case 'response': {
      const api = apiByKey(entry.apiKey)!;
      const { body } = decodeResponseFrame(api, entry.version, bytes);
      for (const set of recordFields(body)) decodeRecords(set, verifyCrc);
      return;
    }
    case 'records':
      decodeRecords(bytes, verifyCrc);
      return;
    case 'compressed':
      decompressSync(entry.codec, bytes);
      return;
  }
}

export function runCase(corpus: Corpus, seed: number, index: number): CaseResult {
  const rnd = caseRandom(seed, index);
  const roll = rnd();
  const list = roll < 0.75 ? corpus.response : roll < 0.9 ? corpus.records : corpus.compressed;
  const entry = pick(list, rnd);
  const { bytes, steps } = mutate(entry.bytes, rnd, pick(list, rnd).bytes);
  // Without the CRC check the corrupt bytes reach the record and codec parsers.
  const verifyCrc = rnd() < 0.3;
  const result: CaseResult = { index, target: entry.kind, input: entry.name, steps, outcome: 'decoded' };
  try {
    if (INJECTED.size > 0) injectFault(index);
    feed(entry, bytes, verifyCrc);
  } catch (error) {
    if (error instanceof KafkaProtocolError) result.outcome = 'rejected';
    else {
      result.outcome = 'untyped';
      const e = error as Error;
      result.error = `${e?.constructor?.name ?? typeof error}: ${e?.message ?? String(error)}\n${(e?.stack ?? '').split('\n').slice(1, 4).join('\n')}`;
    }
  }
  return result;
}
