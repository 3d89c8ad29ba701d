/**
 * Generated message codec throughput: a Metadata v12 response of 100 topics × 10 partitions
 * (encode and decode), and a whole Produce v11 request frame (header + body around a ready
 * record batch). Prints numbers; asserts nothing.
 *
 *   npx tsx bench/codec/messages.ts
 */
import { randomBytes } from 'node:crypto';
import {
  encodeRequestFrame,
  Metadata,
  type MetadataResponse,
  Produce,
  Reader,
  Writer,
} from '../../src/protocol/index.js';

function metadataResponse(): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: [1, 2, 3].map((nodeId) => ({
      nodeId,
      host: `broker-${nodeId}.example.com`,
      port: 9092,
      rack: null,
    })),
    clusterId: 'cluster-id-0000000000',
    controllerId: 1,
    topics: Array.from({ length: 100 }, (_, t) => ({
      errorCode: 0,
      name: `topic-${t}`,
      topicId: randomBytes(16).toString('base64url'),
      isInternal: false,
      partitions: Array.from({ length: 10 }, (_, p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: (p % 3) + 1,
        leaderEpoch: 5,
        replicaNodes: [1, 2, 3],
        isrNodes: [1, 2, 3],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: -2147483648,
    })),
  };
}

function timeIt(minMs: number, fn: () => void): number {
  for (let i = 0; i < 50; i++) fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

const res = metadataResponse();
const w = new Writer(64 * 1024);
Metadata.encodeResponse(w, 12, res);
const bytes = Buffer.from(w.finish());
console.log(`Metadata v12 response, 100 topics × 10 partitions: ${bytes.length} bytes`);
const enc = timeIt(1000, () => {
  const w2 = new Writer(64 * 1024);
  Metadata.encodeResponse(w2, 12, res);
});
console.log(`  encode: ${enc.toFixed(0)} ops/s (${((enc * bytes.length) / 1e6).toFixed(0)} MB/s)`);
const dec = timeIt(1000, () => {
  Metadata.decodeResponse(new Reader(bytes), 12);
});
console.log(`  decode: ${dec.toFixed(0)} ops/s (${((dec * bytes.length) / 1e6).toFixed(0)} MB/s)`);

const batch = randomBytes(16 * 1024);
let correlationId = 0;
const produce = timeIt(1000, () => {
  encodeRequestFrame(
    Produce,
    11,
    ++correlationId,
    'bench-client',
    {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30000,
      topicData: [{ name: 'bench', partitionData: [{ index: 0, records: batch }] }],
    },
    batch.length + 128,
  );
});
console.log(`Produce v11 request frame around a 16 KiB batch: ${produce.toFixed(0)} frames/s`);
