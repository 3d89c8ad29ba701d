/**
 * The 32-bit murmur2 hash as `org.apache.kafka.common.utils.Utils.murmur2` computes it: the
 * Java client's seed, mixing constants and tail handling, with Java `int` arithmetic emulated by
 * `Math.imul` and `| 0`. Keyed records hash with this so that a key lands on the partition the
 * Java client (and librdkafka's `murmur2_random`) would choose.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which differs for negatives). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition the Java client's default partitioner picks for a serialized key. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}

/**
 * The murmur2 of KafkaJS before 1.11 (its `LegacyPartitioner`), kept bit for bit so that data
 * written by old KafkaJS programs keeps its key → partition mapping. It differs from Java's: the
 * loop runs `ceil(length / 4)` times (a fractional bound), reading past the end as zeros, and the
 * multiplications are done in floating point, so large products lose their low bits before being
 * truncated back to 32 bits.
 */
export function legacyMurmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const bound = length / 4;
  for (let i = 0; i < bound; i++) {
    const at = i * 4;
    let k =
      ((data[at] ?? 0) & 0xff) +
      (((data[at + 1] ?? 0) & 0xff) << 8) +
      (((data[at + 2] ?? 0) & 0xff) << 16) +
      (((data[at + 3] ?? 0) & 0xff) << 24);
    k *= M;
    k ^= k >>> R;
    k *= M;
    h *= M;
    h ^= k;
  }
  const whole = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= (data[whole + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[whole + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[whole]! & 0xff;
    h *= M;
  }
  h ^= h >>> 13;
  h *= M;
  h ^= h >>> 15;
  return h;
}
