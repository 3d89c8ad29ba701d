/**
 * An LZ4 frame reader (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md) that hands
 * out one decoded block at a time. lz4-napi decodes only whole frames, which would hold a whole
 * batch's records at once; its block decoder is used here for each block instead. Checksums are
 * not verified (the batch CRC already covers the compressed bytes), and the header checksum is
 * not checked either, which also accepts the frames Kafka wrote with message format v0.
 */
import { KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSDecompressionLimitError } from './errors.js';
import type { Lz4Module } from './native.js';
import type { DecompressionReader } from './stream.js';

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FLG_BLOCK_INDEPENDENT = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICT_ID = 0x01;
const BLOCK_UNCOMPRESSED = 0x80000000;
/** How far back a linked block may refer into the output of the blocks before it. */
const LINKED_WINDOW = 64 * 1024;

function corrupt(message: string, at: number): KafkaProtocolError {
  return new KafkaProtocolError(`lz4 frame: ${message}`, at, { retriable: false });
}

interface FrameState {
  blockMax: number;
  independent: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
}

export interface Lz4BlockDecoder {
  uncompressSync: Lz4Module['uncompressSync'];
}

export class Lz4FrameReader implements DecompressionReader {
  private pos = 0;
  private frame: FrameState | undefined;
  /** The last output of a frame with linked blocks, which the next block may refer to. */
  private history: Buffer | undefined;
  private readonly sizePrefix = Buffer.allocUnsafe(4);

  constructor(
    private readonly lz4: Lz4BlockDecoder,
    private readonly data: Buffer,
    private readonly maxBytes: number,
  ) {}

  private need(n: number, what: string): void {
    if (this.pos + n > this.data.length) throw corrupt(`truncated ${what}`, this.pos);
  }

  read(): Buffer | null {
    for (;;) {
      if (this.frame === undefined) {
        if (this.pos >= this.data.length) return null;
        this.readHeader();
        continue;
      }
      this.need(4, 'block size');
      const word = this.data.readUInt32LE(this.pos);
      this.pos += 4;
      if (word === 0) {
        if (this.frame.contentChecksum) {
          this.need(4, 'content checksum');
          this.pos += 4;
        }
        this.frame = undefined;
        this.history = undefined;
        continue;
      }
      const size = word & 0x7fffffff;
      if (size > this.frame.blockMax) {
        throw corrupt(
          `block of ${size} bytes exceeds the frame's maximum of ${this.frame.blockMax}`,
          this.pos - 4,
        );
      }
      this.need(size + (this.frame.blockChecksum ? 4 : 0), 'block');
      const block = this.data.subarray(this.pos, this.pos + size);
      this.pos += size + (this.frame.blockChecksum ? 4 : 0);
      const out = word & BLOCK_UNCOMPRESSED ? Buffer.from(block) : this.decodeBlock(block);
      if (out.length === 0) continue;
      if (!this.frame.independent) {
        this.history =
          out.length >= LINKED_WINDOW
            ? out.subarray(out.length - LINKED_WINDOW)
            : Buffer.concat([this.history ?? Buffer.alloc(0), out]).subarray(-LINKED_WINDOW);
      }
      return out;
    }
  }

  private decodeBlock(block: Buffer): Buffer {
    const frame = this.frame!;
    this.sizePrefix.writeUInt32LE(frame.blockMax, 0);
    try {
      return this.lz4.uncompressSync(
        Buffer.concat([this.sizePrefix, block]),
        frame.independent ? undefined : this.history,
      );
    } catch (err) {
      throw new KafkaProtocolError(
        `lz4 block does not decompress: ${(err as Error)?.message ?? String(err)}`,
        this.pos,
        {
          cause: err,
          retriable: false,
        },
      );
    }
  }

  private readHeader(): void {
    this.need(4, 'frame magic');
    const magic = this.data.readUInt32LE(this.pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      this.need(8, 'skippable frame');
      const skip = this.data.readUInt32LE(this.pos + 4);
      this.pos += 8;
      this.need(skip, 'skippable frame');
      this.pos += skip;
      return;
    }
    if (magic !== FRAME_MAGIC) throw corrupt(`bad magic ${magic.toString(16)}`, this.pos);
    this.need(7, 'frame descriptor');
    const flg = this.data[this.pos + 4]!;
    const bd = this.data[this.pos + 5]!;
    if (flg >> 6 !== 1) throw corrupt(`unsupported version ${flg >> 6}`, this.pos + 4);
    const sizeCode = (bd >> 4) & 0x07;
    if (sizeCode < 4) throw corrupt(`invalid block maximum size code ${sizeCode}`, this.pos + 5);
    let at = this.pos + 6;
    if (flg & FLG_CONTENT_SIZE) {
      this.need(6 + 8 + 1, 'frame content size');
      const declared = Number(this.data.readBigUInt64LE(at));
      if (declared > this.maxBytes) {
        throw new KafkaJSDecompressionLimitError(
          'lz4',
          this.maxBytes,
          `the frame declares ${declared} bytes`,
        );
      }
      at += 8;
    }
    if (flg & FLG_DICT_ID) at += 4;
    this.pos = at;
    this.need(1, 'header checksum');
    this.pos += 1;
    this.frame = {
      blockMax: 1 << (8 + 2 * sizeCode),
      independent: (flg & FLG_BLOCK_INDEPENDENT) !== 0,
      blockChecksum: (flg & FLG_BLOCK_CHECKSUM) !== 0,
      contentChecksum: (flg & FLG_CONTENT_CHECKSUM) !== 0,
    };
    this.history = undefined;
  }
}
