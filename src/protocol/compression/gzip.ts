import { promisify } from 'node:util';
import { gunzipSync, gzip as gzipCb } from 'node:zlib';

const gzipAsync = promisify(gzipCb);

/** gzip, as Java's GZIPOutputStream writes it; runs on libuv's thread pool so large batches do not block. */
export function gzipCompress(data: Buffer): Promise<Buffer> {
  return gzipAsync(data);
}

/** Accepts one or several concatenated gzip members. */
export function gzipDecompress(data: Buffer): Buffer {
  return gunzipSync(data);
}
