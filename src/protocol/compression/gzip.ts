import { constants } from 'node:buffer';
import { promisify } from 'node:util';
import { createGunzip, gunzipSync, gzip as gzipCb, constants as zlibConstants } from 'node:zlib';
import { KafkaJSDecompressionLimitError } from './errors.js';

const gzipAsync = promisify(gzipCb);

/** gzip, as Java's GZIPOutputStream writes it; runs on libuv's thread pool so large batches do not block. */
export function gzipCompress(data: Buffer): Promise<Buffer> {
  return gzipAsync(data);
}

/** Accepts one or several concatenated gzip members. */
export function gzipDecompress(data: Buffer): Buffer {
  return gunzipSync(data);
}

/**
 * {@link gzipDecompress}, stopping with {@link KafkaJSDecompressionLimitError} as soon as the
 * output passes `maxBytes` (zlib checks as it goes, so the excess is never allocated).
 */
export function gunzipBounded(data: Buffer, maxBytes: number): Buffer {
  try {
    // zlib refuses a maxOutputLength above the largest Buffer.
    return gunzipSync(data, { maxOutputLength: Math.max(1, Math.min(maxBytes, constants.MAX_LENGTH)) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new KafkaJSDecompressionLimitError('gzip', maxBytes, 'zlib stopped at the limit');
    }
    throw err;
  }
}

/** Compressed bytes fed to zlib per step: deflate's ratio is at most about 1,032:1, so one step yields ≤ ~4 MiB. */
export const GZIP_INPUT_STEP = 4 * 1024;
/** The size of the pieces handed out. */
const GZIP_PIECE_BYTES = 1024 * 1024;

/**
 * The native handle under a node:zlib stream, as `gunzipSync` drives it: `writeSync` inflates
 * from `in` into `out` and leaves the space left in both in `state` ([availOut, availIn]); an
 * error arrives synchronously through `onerror`.
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Buffer,
    inOff: number,
    inLen: number,
    out: Buffer,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

/**
 * Reads gzip `data` (one or several members) in pieces of 1 MiB. node:zlib has no public
 * synchronous streaming call (`gunzipSync` is one shot), so this drives the native handle its
 * streams and `gunzipSync` are built on, feeding the compressed input a few KiB at a time: what
 * is in hand is one piece, whatever the batch's ratio. The caller counts the output against the
 * batch limit (the `limitReader` of stream.ts). On a Node version without that handle, the
 * reader falls back to {@link gunzipBounded} in one piece.
 */
export function gunzipReader(data: Buffer, maxBytes: number): { read(): Buffer | null } {
  const stream = createGunzip();
  const inner = stream as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = inner._handle;
  const state = inner._writeState;
  let done = data.length === 0;
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array)) {
    stream.close();
    return {
      read() {
        if (done) return null;
        done = true;
        const out = gunzipBounded(data, maxBytes);
        return out.length === 0 ? null : out;
      },
    };
  }
  if (done) stream.close();
  let error: Error | undefined;
  handle.onerror = (message, _errno, code) => {
    error = Object.assign(new Error(message), { code });
  };
  let pos = 0;
  let inOff = 0;
  let inLen = 0;
  let finish = false;
  const end = (): void => {
    done = true;
    stream.close();
  };
  return {
    read() {
      if (done) return null;
      const out = Buffer.allocUnsafe(GZIP_PIECE_BYTES);
      let filled = 0;
      try {
        for (;;) {
          if (inLen === 0 && !finish) {
            inOff = pos;
            inLen = Math.min(GZIP_INPUT_STEP, data.length - pos);
            pos += inLen;
            // Z_FINISH on the last step makes zlib fail on a stream that stops short
            finish = pos === data.length;
          }
          const flush = finish ? zlibConstants.Z_FINISH : zlibConstants.Z_NO_FLUSH;
          handle.writeSync!(flush, data, inOff, inLen, out, filled, out.length - filled);
          if (error) throw error;
          const availOut = state[0]!;
          const availIn = state[1]!;
          filled = out.length - availOut;
          inOff += inLen - availIn;
          inLen = availIn;
          if (availOut === 0) return out;
          if (finish && inLen === 0) {
            end();
            return filled > 0 ? out.subarray(0, filled) : null;
          }
        }
      } catch (err) {
        end();
        throw err;
      }
    },
  };
}
