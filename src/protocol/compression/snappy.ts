import { KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSDecompressionLimitError } from './errors.js';
import type { SnappyModule } from './native.js';
import type { DecompressionReader } from './stream.js';

/**
 * The framing snappy-java's SnappyOutputStream writes and the Java client uses for Kafka's
 * snappy codec: an 8-byte magic (0x82 "SNAPPY" 0x00), int32 version and int32 minimum
 * compatible version (both 1), then blocks of int32 compressed length + raw snappy bytes, each
 * block holding up to 32 KiB of input. Older clients (and librdkafka for some versions) wrote
 * raw snappy without the framing, so decoding accepts both.
 */
export const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size. */
export const XERIAL_BLOCK_SIZE = 32 * 1024;

/** Whether `data` starts with snappy-java's xerial framing header (what the Java client writes) rather than raw snappy. */
export function isXerialFramed(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

export function snappyCompressXerial(snappy: SnappyModule, data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let total = XERIAL_HEADER_SIZE;
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_SIZE) {
    const block = snappy.compressSync(data.subarray(at, Math.min(data.length, at + XERIAL_BLOCK_SIZE)));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(total);
  XERIAL_MAGIC.copy(out, 0);
  out.writeInt32BE(XERIAL_VERSION, 8);
  out.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  let pos = XERIAL_HEADER_SIZE;
  for (const block of blocks) {
    out.writeInt32BE(block.length, pos);
    block.copy(out, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}

export function snappyDecompress(snappy: SnappyModule, data: Buffer): Buffer {
  if (!isXerialFramed(data)) return snappy.uncompressSync(data);
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER_SIZE;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new KafkaProtocolError('truncated xerial snappy block length', pos);
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) {
      throw new KafkaProtocolError(`xerial snappy block of ${len} bytes overruns the input`, pos - 4);
    }
    const block = snappy.uncompressSync(data.subarray(pos, pos + len));
    blocks.push(block);
    total += block.length;
    pos += len;
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, total);
}

/** Output gathered from xerial blocks before it is handed out as one piece. */
const PIECE_BYTES = 1024 * 1024;

/** The uncompressed length a raw snappy block declares (its leading varint), or -1 if unreadable. */
function declaredLength(block: Buffer): number {
  let n = 0;
  for (let i = 0, shift = 0; i < 5 && i < block.length; i++, shift += 7) {
    const b = block[i]!;
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return n;
  }
  return -1;
}

function checkDeclared(block: Buffer, budget: number, maxBytes: number): void {
  const n = declaredLength(block);
  if (n > budget) {
    throw new KafkaJSDecompressionLimitError('snappy', maxBytes, `a block declares ${n} bytes`);
  }
}

/**
 * Reads snappy `data`: xerial framing block by block (joined into pieces of about 1 MiB), raw
 * snappy in one piece. Every block's declared length is checked against what is left of
 * `maxBytes` before it is decompressed.
 */
export function snappyReaderBounded(
  snappy: SnappyModule,
  data: Buffer,
  maxBytes: number,
): DecompressionReader {
  let done = false;
  if (!isXerialFramed(data)) {
    checkDeclared(data, maxBytes, maxBytes);
    return {
      read() {
        if (done) return null;
        done = true;
        const out = snappy.uncompressSync(data);
        return out.length === 0 ? null : out;
      },
    };
  }
  let pos = XERIAL_HEADER_SIZE;
  let total = 0;
  return {
    read() {
      const blocks: Buffer[] = [];
      let size = 0;
      while (pos < data.length && size < PIECE_BYTES) {
        if (pos + 4 > data.length)
          throw new KafkaProtocolError('truncated xerial snappy block length', pos, { retriable: false });
        const len = data.readInt32BE(pos);
        pos += 4;
        if (len < 0 || pos + len > data.length) {
          throw new KafkaProtocolError(`xerial snappy block of ${len} bytes overruns the input`, pos - 4, {
            retriable: false,
          });
        }
        const block = data.subarray(pos, pos + len);
        checkDeclared(block, maxBytes - total, maxBytes);
        const out = snappy.uncompressSync(block);
        pos += len;
        total += out.length;
        size += out.length;
        if (out.length > 0) blocks.push(out);
      }
      if (blocks.length === 0) return null;
      return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, size);
    },
  };
}
