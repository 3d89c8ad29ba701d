/** Which client runs which scenario; the reason is shown in the report where one does not. */
import * as zlib from 'node:zlib';
import type { ClientName, Scenario } from './types.js';

export function unsupportedReason(client: ClientName, s: Scenario): string | undefined {
  switch (client) {
    case 'kafkajs':
      if (s.codec !== 'none')
        return `no built-in ${s.codec.toUpperCase()} codec (needs a third-party codec package)`;
      return undefined;
    case 'platformatic':
      if (
        s.codec === 'zstd' &&
        typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync !== 'function'
      ) {
        return `ZSTD uses node:zlib's zstd, which Node ${process.version} lacks (Node >= 22.15)`;
      }
      if (s.kind === 'consume-batch') return 'no per-batch handler (its stream is per message)';
      return undefined;
    case 'rdkafka':
      if (s.kind === 'consume-batch')
        return 'no separate batch handler (consume-100b already reads consume(1000) batches)';
      return undefined;
    case 'java':
      if (s.kind === 'consume-batch') return 'ConsumerPerformance polls batches already (see consume-100b)';
      if (s.kind === 'consume-group') return 'ConsumerPerformance runs one consumer per JVM';
      return undefined;
    default:
      return undefined;
  }
}
