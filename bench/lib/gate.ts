/**
 * The verification gates: a run whose records did not all arrive exactly once is reported as
 * failed (`verified: false`), never as a figure. Pure functions, unit-tested in
 * test/unit/bench/gate.test.ts; the orchestrator gathers the facts they judge.
 */
import type { Gate } from './types.js';

export interface ProduceFacts {
  /** Records the run was asked to send (warm-up included, every process). */
  expected: number;
  /** What the runner reported as acknowledged (data records, warm-up excluded). */
  acked: number;
  /** Sends that failed. */
  failedSends: number;
  /** Σ (end offset − start offset) over the topic's partitions after the run. */
  endOffsetsSum: number;
  /** The read-back sample: data records read, of which repeated sequence numbers. */
  sampleRead: number;
  sampleDuplicates: number;
  /** Records in the sample whose sequence number was never sent. */
  sampleForeign: number;
  /** Data records the run should have acknowledged (warm-up excluded). */
  dataRecords: number;
}

export function produceGate(f: ProduceFacts): Gate {
  const problems: string[] = [];
  if (f.failedSends > 0) problems.push(`${f.failedSends} send(s) failed`);
  if (f.acked !== f.dataRecords) problems.push(`${f.acked} of ${f.dataRecords} acknowledged`);
  if (f.endOffsetsSum !== f.expected)
    problems.push(`end offsets sum to ${f.endOffsetsSum}, expected ${f.expected}`);
  if (f.sampleRead === 0 && f.dataRecords > 0) problems.push('read-back found no data record');
  if (f.sampleDuplicates > 0) problems.push(`read-back found ${f.sampleDuplicates} duplicate(s)`);
  if (f.sampleForeign > 0) problems.push(`read-back found ${f.sampleForeign} record(s) never sent`);
  const checked = `end offsets ${f.endOffsetsSum}/${f.expected}, read-back ${f.sampleRead} records, ${f.sampleDuplicates} duplicates`;
  return problems.length
    ? { verified: false, detail: problems.join('; ') }
    : { verified: true, detail: checked };
}

export interface ConsumeFacts {
  /** Records in the topic. */
  expected: number;
  /** Distinct (partition, offset) pairs delivered (e2e: distinct sequence numbers). */
  distinct: number;
  duplicates: number;
}

/**
 * Every record exactly once. Duplicates are reported but do not fail a plain consumer run: a
 * redelivery after a rebalance is allowed by at-least-once; they are reported next to the rate.
 */
export function consumeGate(f: ConsumeFacts): Gate {
  const dups = f.duplicates ? `, ${f.duplicates} duplicate deliveries` : '';
  if (f.distinct !== f.expected) {
    return { verified: false, detail: `${f.distinct} of ${f.expected} distinct records${dups}` };
  }
  return { verified: true, detail: `${f.distinct} distinct records${dups}` };
}

export interface E2eFacts extends ConsumeFacts {
  failedSends: number;
  /** The schedule's rate (msgs/s) and the seconds the run lasted. */
  rate: number;
  seconds: number;
  /** Set when the run stopped because the client fell SATURATION_MS behind (lib/e2e.ts). */
  saturated?: { received: number; behindMs: number };
}

/**
 * A fixed-rate run: every record exactly once, or, for a client that cannot sustain the rate,
 * no failed send up to the point where it fell too far behind. That run passes the gate (its
 * counts are right) but says it saturated; the report gives its delivered rate, not percentiles.
 */
export function e2eGate(f: E2eFacts): Gate {
  if (f.failedSends > 0) return { verified: false, detail: `${f.failedSends} send(s) failed` };
  if (!f.saturated) return consumeGate(f);
  const delivered = Math.round(f.distinct / Math.max(f.seconds, 1e-9)).toLocaleString('en-US');
  const dups = f.duplicates ? `, ${f.duplicates} duplicate deliveries` : '';
  const behind = (f.saturated.behindMs / 1000).toFixed(1);
  return {
    verified: true,
    detail:
      `saturated: ${behind} s behind the schedule after ${f.seconds.toFixed(1)} s, ${f.distinct} records in ` +
      `(warm-up included): ${delivered} msgs/s delivered of ${f.rate.toLocaleString('en-US')} due${dups}`,
  };
}

/** Counts distinct (partition, offset) pairs with one bit per offset. */
export class DistinctOffsets {
  private readonly bits = new Map<number, Uint8Array>();
  distinct = 0;
  duplicates = 0;

  /** Records one delivery; returns true when it is the first of its (partition, offset). */
  add(partition: number, offset: number): boolean {
    let b = this.bits.get(partition);
    const byte = offset >>> 3;
    if (!b || byte >= b.length) {
      const grown = new Uint8Array(Math.max(1024, (byte + 1) * 2));
      if (b) grown.set(b);
      b = grown;
      this.bits.set(partition, b);
    }
    const mask = 1 << (offset & 7);
    if (b[byte]! & mask) {
      this.duplicates++;
      return false;
    }
    b[byte]! |= mask;
    this.distinct++;
    return true;
  }
}
