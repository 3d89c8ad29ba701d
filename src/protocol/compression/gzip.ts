import { constants } from 'node:buffer';
import { promisify } from 'node:util';
import { gunzipSync, gzip as gzipCb } from 'node:zlib';
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
