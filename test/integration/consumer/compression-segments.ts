/**
 * Edits a batch in the shared test broker's log segment in place, as disk corruption would leave
 * it (CRC recomputed, so only the content is bad): the broker serves such bytes as they are.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../src/protocol/records/crc.js';
import { BATCH_OFFSETS } from '../../../src/protocol/records/types.js';
import { testCluster } from '../../helpers/cluster.js';

/** Why segment edits cannot run here, or undefined when they can (a local broker started by the harness). */
export const segmentsUnavailable: string | undefined =
  testCluster().nodes[0]?.dir !== undefined && testCluster().runtime !== 'docker'
    ? undefined
    : 'edits log segments: needs a broker started by the harness on this machine';

/** The file position of the batch at `baseOffset` in partition 0's first log segment. */
function segmentOf(topic: string): string {
  const node = testCluster().nodes[0]!;
  return join(node.dir!, 'data', `${topic}-0`, '00000000000000000000.log');
}

function findBatch(segment: Buffer, baseOffset: number): { at: number; length: number } {
  for (let at = 0; at + 12 <= segment.length; ) {
    const length = 12 + segment.readInt32BE(at + 8);
    if (Number(segment.readBigInt64BE(at)) === baseOffset) return { at, length };
    at += length;
  }
  throw new Error(`no batch at offset ${baseOffset} in the segment`);
}

/** Rewrites one batch of the broker's log in place (CRC recomputed, so only the content is bad). */
export function corruptBatch(topic: string, baseOffset: number, edit: (batch: Buffer) => void): void {
  const path = segmentOf(topic);
  const segment = readFileSync(path);
  const { at, length } = findBatch(segment, baseOffset);
  const batch = Buffer.from(segment.subarray(at, at + length));
  edit(batch);
  batch.writeUInt32BE(crc32c(batch, BATCH_OFFSETS.attributes), BATCH_OFFSETS.crc);
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, batch, 0, batch.length, at);
  } finally {
    closeSync(fd);
  }
}
