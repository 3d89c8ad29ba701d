import { KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSInvalidArgument } from '../../errors/network.js';
import { DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../compression/stream.js';
import type { RecordBatch } from './batch.js';
import { LEGACY_V0_MIN_SIZE, LegacyMessageBatch } from './legacy.js';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, MAGIC_V2, BATCH_OFFSETS as O } from './types.js';
import { RecordBatchV2 } from './v2.js';

/** Options of {@link decodeRecordSet} and {@link decodeRecordBatches}. */
export interface DecodeRecordsOptions {
  /** Check each batch's CRC (default true). Skipping saves time for trusted input. */
  verifyCrc?: boolean;
  /**
   * The most one compressed batch's records may decompress to, in bytes (default 256 MiB).
   * Reading the records of a batch that decompresses to more fails with
   * `KafkaJSDecompressionLimitError` when the limit is reached, before the excess is held.
   */
  maxDecompressedBatchBytes?: number;
}

/** What {@link decodeRecordSet} found in a fetch response's records. */
export interface DecodedRecordSet {
  /** The whole batches, in offset order; their records are decoded on demand. */
  batches: RecordBatch[];
  /**
   * Bytes at the end that do not form a whole batch. A broker cuts the last batch of a fetch
   * response at the size limit, so these are expected and ignored; a response with no batches
   * and trailing bytes means a single batch is larger than the fetch size.
   */
  truncatedBytes: number;
}

/**
 * Splits a record set (the `records` field of a Fetch response, or any concatenation of
 * batches) into batches. Headers are read and CRCs checked now; records are decoded when asked.
 * v2 batches and legacy v0/v1 messages may be mixed. Malformed input throws
 * {@link KafkaProtocolError}; a partial batch at the end is not an error.
 */
export function decodeRecordSet(buf: Buffer, options: DecodeRecordsOptions = {}): DecodedRecordSet {
  const verifyCrc = options.verifyCrc ?? true;
  const limit = options.maxDecompressedBatchBytes ?? DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new KafkaJSInvalidArgument(
      'maxDecompressedBatchBytes',
      `must be a non-negative integer, got ${String(limit)}`,
    );
  }
  const batches: RecordBatch[] = [];
  const end = buf.length;
  let pos = 0;
  while (pos < end) {
    const remaining = end - pos;
    if (remaining <= O.magic) break; // too short to see the size and magic: partial
    const batchLength = buf.readInt32BE(pos + O.batchLength);
    const magic = buf[pos + O.magic]!;
    if (magic === MAGIC_V2) {
      if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
        throw new KafkaProtocolError(
          `record batch length ${batchLength} is shorter than a batch header`,
          pos + O.batchLength,
        );
      }
    } else if (magic === 0 || magic === 1) {
      if (batchLength < LEGACY_V0_MIN_SIZE) {
        throw new KafkaProtocolError(`legacy message size ${batchLength} is too small`, pos + O.batchLength);
      }
    } else {
      throw new KafkaProtocolError(`unknown record format magic ${magic}`, pos + O.magic);
    }
    const size = LOG_OVERHEAD + batchLength;
    if (size > remaining) break; // partial trailing batch
    const bytes = buf.subarray(pos, pos + size);
    batches.push(
      magic === MAGIC_V2
        ? new RecordBatchV2(bytes, verifyCrc, pos, limit)
        : new LegacyMessageBatch(bytes, verifyCrc, pos, limit),
    );
    pos += size;
  }
  return { batches, truncatedBytes: end - pos };
}

/** {@link decodeRecordSet}'s batches. */
export function decodeRecordBatches(buf: Buffer, options?: DecodeRecordsOptions): RecordBatch[] {
  return decodeRecordSet(buf, options).batches;
}
