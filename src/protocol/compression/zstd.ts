import { KafkaProtocolError } from '../../errors/base.js';
import { KafkaJSDecompressionLimitError } from './errors.js';
import type { ZstdBinding } from './native.js';
import type { DecompressionReader } from './stream.js';

/** Frames that declare at most this much are decompressed in one call (no streaming overhead). */
const ONE_SHOT_MAX = 4 * 1024 * 1024;

/**
 * Reads zstd `data` (one or more frames) in pieces of at most `pieceBytes`. A first frame whose
 * header declares more than `maxBytes` fails before anything is decompressed; otherwise the
 * caller counts the pieces against the limit (see `limitReader`).
 */
export function zstdReaderBounded(
  zstd: ZstdBinding,
  data: Buffer,
  maxBytes: number,
  pieceBytes: number,
): DecompressionReader {
  const declared = zstd.getFrameContentSize(data);
  if (declared !== null && declared > maxBytes) {
    throw new KafkaJSDecompressionLimitError('zstd', maxBytes, `the frame declares ${declared} bytes`);
  }
  if (declared !== null && declared <= ONE_SHOT_MAX) {
    const out = oneShot(zstd, data, declared);
    if (out !== undefined) {
      let done = out.length === 0;
      return {
        read() {
          if (done) return null;
          done = true;
          return out;
        },
      };
    }
  }
  return new ZstdStreamReader(zstd, data, pieceBytes);
}

/** The whole input into `declared` bytes; undefined when it does not fit (several frames), to stream instead. */
function oneShot(zstd: ZstdBinding, data: Buffer, declared: number): Buffer | undefined {
  const out = Buffer.allocUnsafe(declared);
  try {
    const n = new zstd.DCtx().decompress(out, data);
    return n === declared ? out : out.subarray(0, n);
  } catch {
    return undefined;
  }
}

class ZstdStreamReader implements DecompressionReader {
  private readonly dctx: InstanceType<ZstdBinding['DCtx']>;
  private src: Buffer;
  /** libzstd's hint after the last call: 0 when a frame ended and everything was flushed. */
  private pendingHint = 1;

  constructor(
    zstd: ZstdBinding,
    data: Buffer,
    private readonly pieceBytes: number,
  ) {
    this.dctx = new zstd.DCtx();
    this.src = data;
    if (data.length === 0) this.pendingHint = 0;
  }

  read(): Buffer | null {
    for (;;) {
      if (this.src.length === 0 && this.pendingHint === 0) return null;
      const dst = Buffer.allocUnsafe(this.pieceBytes);
      const [hint, written, consumed] = this.dctx.decompressStream(dst, this.src);
      this.src = this.src.subarray(consumed);
      this.pendingHint = hint;
      if (written > 0) {
        // A small piece is copied so that the records keeping it alive do not pin a whole piece.
        return written < this.pieceBytes / 4
          ? Buffer.from(dst.subarray(0, written))
          : dst.subarray(0, written);
      }
      if (consumed === 0) {
        throw new KafkaProtocolError(
          this.src.length === 0 ? 'zstd frame is truncated' : 'zstd decompression makes no progress',
          undefined,
          { retriable: false },
        );
      }
    }
  }
}
