import { Writer } from '../protocol/codec/writer.js';

/**
 * Byte arrays at least this long are sent as they are instead of being copied into the frame:
 * in practice the record batches of a Produce request. Smaller ones are cheaper to copy than to
 * hand to the socket as one more piece.
 */
export const EXTERNAL_MIN_BYTES = 4096;

/**
 * A request frame as a list of pieces for one gathered socket write (writev): the Writer's own
 * bytes, with each large byte array (`raw`, hence `bytes`/`compactBytes`) left where it is and
 * referenced rather than copied.
 *
 * Why: a Produce request is mostly record batches that are already encoded. Copying them into
 * one growing buffer cost a copy per doubling and a fresh multi-megabyte allocation per request,
 * whose first touch (page faults) cost more CPU than the copy itself.
 *
 * The Writer's positions (`pos`, `reserveInt32`/`patchInt32`) keep counting only its own bytes,
 * so a patched size prefix lands where it was reserved; `length` is the whole frame.
 */
export class FrameWriter extends Writer {
  /** Positions in the Writer's bytes where each external piece goes, in order. */
  private readonly at: number[] = [];
  private readonly externals: Uint8Array[] = [];
  private externalBytes = 0;

  override raw(v: Uint8Array): this {
    if (v.length < EXTERNAL_MIN_BYTES) return super.raw(v);
    this.at.push(this.pos);
    this.externals.push(v);
    this.externalBytes += v.length;
    return this;
  }

  /** Bytes of the whole frame, external pieces included. */
  get length(): number {
    return this.pos + this.externalBytes;
  }

  /** The frame's pieces in order (views of the Writer's buffer and the external arrays, no copies). */
  pieces(): Uint8Array[] {
    const out: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < this.at.length; i++) {
      const end = this.at[i]!;
      if (end > start) out.push(this.buf.subarray(start, end));
      out.push(this.externals[i]!);
      start = end;
    }
    if (this.pos > start) out.push(this.buf.subarray(start, this.pos));
    return out;
  }

  /** The whole frame as one buffer: a copy when there are external pieces. */
  override finish(): Buffer {
    if (this.externals.length === 0) return super.finish();
    return Buffer.concat(this.pieces(), this.length);
  }
}

/**
 * Writes a frame's pieces to the socket as one gathered write (cork/uncork lets the stream hand
 * them to writev together). `done` runs once, when the last piece is written or the write
 * fails. Returns false when the socket's buffer is full (wait for 'drain').
 */
export function writeFrame(
  socket: NodeJS.WritableStream & { cork(): void; uncork(): void },
  pieces: readonly Uint8Array[],
  done?: (error?: Error | null) => void,
): boolean {
  if (pieces.length === 1) return done ? socket.write(pieces[0]!, done) : socket.write(pieces[0]!);
  socket.cork();
  const last = pieces.length - 1;
  for (let i = 0; i < last; i++) socket.write(pieces[i]!);
  const ok = done ? socket.write(pieces[last]!, done) : socket.write(pieces[last]!);
  socket.uncork();
  return ok;
}
