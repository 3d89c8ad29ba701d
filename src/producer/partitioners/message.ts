import type { PartitionerMessage } from './types.js';

/** What the built-in partitioners read from a message: its key bytes, its size, its own partition. */
export function keyBytes(key: Buffer | string): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

export function approximateSize(message: PartitionerMessage): number {
  const k = message.key;
  const v = message.value;
  const keyLen = k == null ? 0 : typeof k === 'string' ? Buffer.byteLength(k) : k.length;
  const valueLen = v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length;
  // Per-record overhead of the v2 format (attributes, deltas, lengths) is a handful of bytes.
  return keyLen + valueLen + 8;
}

export function explicitPartition(message: PartitionerMessage): number | undefined {
  const p = message.partition;
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : undefined;
}
