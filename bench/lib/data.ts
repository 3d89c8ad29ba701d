/**
 * The records every client sends: distinct, seeded, JSON-like values of an exact size.
 *
 * Why not one repeated value: a compressor squeezes repeats almost for free, so lz4/zstd figures
 * would measure nothing, and a lost or doubled record could not be told apart from another.
 * Each value starts with `{"seq":"NNNNNNNNNN"` (the record's number, fixed width at a fixed
 * offset), so that a read-back can find duplicates; the rest is an event-shaped record with
 * fields drawn from small vocabularies and a random token, which compresses about as well as
 * real application JSON (roughly 2–3× with lz4/zstd), not 50×.
 *
 * The whole data set is built before the clock and the CPU counter start, as one contiguous
 * buffer; runners take `value(i)` views of it. The Java harness reads the same bytes from a file.
 */

/** Byte offset and width of the sequence digits inside every value. */
export const SEQ_OFFSET = 8;
export const SEQ_DIGITS = 10;
/** Values shorter than this cannot hold the sequence number and a closing brace. */
export const MIN_VALUE_SIZE = SEQ_OFFSET + SEQ_DIGITS + 2;
/** Distinct keys in keyed runs (key = `user-<seq mod KEY_SPACE>`), like a user-id keyed stream. */
export const KEY_SPACE = 10_000;

const EVENTS = ['click', 'view', 'purchase', 'signup', 'logout', 'search', 'add_to_cart', 'share'];
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'IN', 'BR', 'JP', 'NL', 'ES', 'IT', 'SE', 'PL'];
const DEVICES = ['ios', 'android', 'web', 'desktop'];
const WORDS = [
  'order',
  'item',
  'price',
  'basket',
  'session',
  'account',
  'shipping',
  'delivery',
  'return',
  'coupon',
  'review',
  'rating',
  'category',
  'brand',
  'stock',
  'payment',
];
const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** xorshift32 seeded per record: the same seed gives the same bytes on every client. */
function rng(seed: number): () => number {
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[next() % list.length]!;
}

function token(next: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUM[next() % ALPHANUM.length];
  return s;
}

/** The value of record `seq`, exactly `size` bytes of ASCII JSON (truncated and closed to fit). */
export function makeValue(seq: number, size: number): Buffer {
  if (size < MIN_VALUE_SIZE) throw new Error(`value size ${size} < ${MIN_VALUE_SIZE}`);
  const next = rng(seq + 1);
  const head = `{"seq":"${String(seq).padStart(SEQ_DIGITS, '0')}"`;
  let body =
    `,"ts":${1_760_000_000_000 + seq * 7 + (next() % 1000)},"event":"${pick(next, EVENTS)}",` +
    `"user":"u${next() % 100_000}","country":"${pick(next, COUNTRIES)}","device":"${pick(next, DEVICES)}",` +
    `"session":"${token(next, 12)}","amount":${(next() % 100_000) / 100}`;
  // Larger values: a list of line items, then free text, as an order or a log event would have.
  let items = ',"items":[';
  let first = true;
  while (head.length + body.length + items.length < size * 0.6 && size > 200) {
    items +=
      `${first ? '' : ','}{"sku":"${token(next, 8)}","qty":${1 + (next() % 5)},` +
      `"price":${(next() % 50_000) / 100},"tag":"${pick(next, WORDS)}"}`;
    first = false;
  }
  if (!first) body += `${items}]`;
  let text = ',"note":"';
  while (head.length + body.length + text.length < size) {
    text += `${pick(next, WORDS)} ${next() % 3 === 0 ? `${token(next, 6)} ` : ''}`;
  }
  const full = `${head}${body}${text}`;
  // Exactly `size` bytes, ending in '}' so the value stays JSON-shaped.
  const buf = Buffer.alloc(size, 0x20);
  buf.write(full.slice(0, size - 1), 0, 'latin1');
  buf[size - 1] = 0x7d;
  return buf;
}

/** Reads the sequence number back from a value; undefined for a value that is not one of ours. */
export function seqOf(value: Buffer | Uint8Array | null | undefined): number | undefined {
  if (!value || value.length < SEQ_OFFSET + SEQ_DIGITS) return undefined;
  let n = 0;
  for (let i = SEQ_OFFSET; i < SEQ_OFFSET + SEQ_DIGITS; i++) {
    const d = value[i]! - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Records `base` … `base + count - 1` as one buffer of count × size bytes. The orchestrator
 * builds the buffer once per size and writes it to a file (building 1M values takes seconds);
 * each run loads its slice of that file before the clock starts.
 */
export class Dataset {
  constructor(
    readonly bytes: Buffer,
    readonly base: number,
    readonly count: number,
    readonly size: number,
  ) {
    if (bytes.length < count * size)
      throw new Error(`data set holds ${bytes.length} bytes, need ${count * size}`);
  }

  static build(base: number, count: number, size: number): Dataset {
    const bytes = Buffer.allocUnsafe(count * size);
    for (let i = 0; i < count; i++) makeValue(base + i, size).copy(bytes, i * size);
    return new Dataset(bytes, base, count, size);
  }

  /** The value of the i-th record of this set (a view, no copy). */
  value(i: number): Buffer {
    return this.bytes.subarray(i * this.size, (i + 1) * this.size);
  }

  /** The sequence number of the i-th record. */
  seq(i: number): number {
    return this.base + i;
  }
}

/** Keys for keyed runs: `user-<n>`, KEY_SPACE of them, built once. */
let keyPool: Buffer[] | undefined;
export function keyOf(seq: number): Buffer {
  keyPool ??= Array.from({ length: KEY_SPACE }, (_, i) => Buffer.from(`user-${i}`));
  return keyPool[seq % KEY_SPACE]!;
}

/** The headers of the headers scenario: a trace id and a content type, as tracing would add. */
export function headersOf(seq: number): Record<string, Buffer> {
  return {
    'trace-id': Buffer.from(`00-${String(seq).padStart(32, '0')}-01`),
    'content-type': CONTENT_TYPE,
  };
}
const CONTENT_TYPE = Buffer.from('application/json');

/** A value that is not a data record (the warm-up records), so read-backs skip it. */
export function warmValue(size: number): Buffer {
  const buf = Buffer.alloc(size, 0x20);
  buf.write('{"seq":"warm-up"', 0, 'latin1');
  buf[size - 1] = 0x7d;
  return buf;
}
