import type { RecordAccumulator } from './accumulator.js';
import type { ProducerIdAndEpoch, ProducerTransport } from './transport.js';

/**
 * The producer id and epoch that stamp every batch, and the KIP-360 epoch bump. Sequence numbers
 * live with each partition's queue in the accumulator; a bump resets them all to 0 and
 * re-stamps the batches not yet acknowledged, so that none is written twice under two epochs
 * and no gap is left.
 */
export class IdempotenceManager {
  pid: ProducerIdAndEpoch = { producerId: -1n, producerEpoch: -1 };
  /** Set when the broker lost or rejected our sequence state; the sender pauses and bumps. */
  needsBump = false;

  constructor(
    private readonly transport: ProducerTransport,
    private readonly transactionalId: string | null,
    private readonly transactionTimeout: number,
  ) {}

  get hasProducerId(): boolean {
    return this.pid.producerId >= 0n;
  }

  async init(): Promise<void> {
    this.pid = await this.transport.initProducerId(this.transactionalId, this.transactionTimeout);
  }

  /** KIP-360: asks for the same producer id with the next epoch, then resets every partition's sequences. */
  async bumpEpoch(accumulator: RecordAccumulator): Promise<void> {
    const current = this.hasProducerId ? this.pid : undefined;
    this.pid = await this.transport.initProducerId(this.transactionalId, this.transactionTimeout, current);
    resetSequences(accumulator);
    this.needsBump = false;
  }

  /** A new id/epoch given by EndTxn v5 (KIP-890) or InitProducerId; sequences start again at 0. */
  adopt(pid: ProducerIdAndEpoch, accumulator: RecordAccumulator): void {
    this.pid = pid;
    resetSequences(accumulator);
  }
}

/** Sequences start at 0 again; batches not yet acknowledged lose their stamp and get a fresh one when drained. */
export function resetSequences(accumulator: RecordAccumulator): void {
  for (const q of accumulator.partitions) {
    q.nextSequence = 0;
    q.ackedSequence = 0;
    for (const b of q.batches) {
      b.baseSequence = -1;
      b.encoded = undefined;
    }
  }
}

/** Sequence numbers wrap at int32 max, as the broker expects. */
export function nextSequence(current: number, count: number): number {
  const next = current + count;
  return next > 0x7fffffff ? next - 0x80000000 : next;
}
