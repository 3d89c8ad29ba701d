import { KafkaProtocolError } from '../errors/base.js';

/** Larger answers than this are refused as garbage (a TLS or HTTP peer, a corrupt stream). */
export const DEFAULT_MAX_FRAME_SIZE = 256 * 1024 * 1024;

/**
 * Splits a byte stream into Kafka frames (int32 size, then that many bytes). Whole frames found
 * in one chunk are handed out as views of it; a frame split over chunks is gathered and copied
 * once, when its last byte arrives, so a 50 MB Fetch answer costs one concat, not one per chunk.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private frameSize = -1;

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
  ) {}

  /** Bytes received but not yet handed out as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Throws {@link KafkaProtocolError} on a size that is negative, too small for a header, or above the limit. */
  push(chunk: Buffer): void {
    if (this.buffered > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.frameSize < 0) {
        if (this.buffered < 4) return;
        const head = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
        this.chunks = [head];
        this.frameSize = this.checkSize(head.readInt32BE(0));
      }
      if (this.buffered < 4 + this.frameSize) return;
      chunk = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [];
      this.buffered = 0;
      this.frameSize = -1;
    }
    let offset = 0;
    const length = chunk.length;
    while (length - offset >= 4) {
      const size = this.checkSize(chunk.readInt32BE(offset));
      if (length - offset - 4 < size) break;
      const start = offset + 4;
      offset = start + size;
      this.onFrame(chunk.subarray(start, offset));
    }
    if (offset < length) {
      const rest = chunk.subarray(offset);
      this.chunks = [rest];
      this.buffered = rest.length;
      this.frameSize = rest.length >= 4 ? this.checkSize(rest.readInt32BE(0)) : -1;
    }
  }

  reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.frameSize = -1;
  }

  private checkSize(size: number): number {
    if (size < 4)
      throw new KafkaProtocolError(`invalid frame size ${size}: a response holds at least a correlation id`);
    if (size > this.maxFrameSize) {
      throw new KafkaProtocolError(
        `frame of ${size} bytes exceeds the ${this.maxFrameSize}-byte limit (is this a Kafka listener? TLS on one side only?)`,
      );
    }
    return size;
  }
}
