import type { Logger } from '../logger.js';
import { Codes } from '../protocol/codes.js';
import { StateMachine } from '../transitions.js';
import type { RecordAccumulator } from './accumulator.js';
import { KafkaJSTransactionStateError } from './errors.js';
import type { IdempotenceManager } from './idempotence.js';
import type { RetryOptions } from './options.js';
import { withRetries } from './retry.js';
import { TRANSACTION_TRANSITIONS } from './states.js';
import type { ProducerTransport, TransactionTransport } from './transport.js';

const COORDINATOR_ERRORS = new Set<number>([
  Codes.COORDINATOR_LOAD_IN_PROGRESS,
  Codes.COORDINATOR_NOT_AVAILABLE,
  Codes.NOT_COORDINATOR,
]);
const FENCED = new Set<number>([Codes.PRODUCER_FENCED, Codes.INVALID_PRODUCER_EPOCH]);

export type TransactionState = 'ready' | 'inTransaction' | 'committing' | 'aborting' | 'abortable' | 'fatal';

export interface OffsetsToCommit {
  topic: string;
  partitions: Array<{ partition: number; offset: string; metadata?: string | null }>;
}

/**
 * The transactional producer's state machine (KIP-98): InitProducerId through the transaction
 * coordinator (which fences an older producer with the same transactionalId), AddPartitionsToTxn
 * before the first record to each partition, AddOffsetsToTxn + TxnOffsetCommit for
 * consume-transform-produce, and EndTxn.
 *
 * Transaction version 2 (KIP-890 part 2), used when the cluster finalized `transaction.version`
 * ≥ 2: Produce v12 adds a partition to the transaction implicitly (no AddPartitionsToTxn),
 * TxnOffsetCommit v5 adds the group implicitly (no AddOffsetsToTxn), and every EndTxn v5 bumps
 * the epoch, which is adopted (sequences restart at 0) for the next transaction. That bump is
 * what keeps a late write of a finished transaction out of the next one.
 */
export class TransactionManager {
  /** Every move goes through the table in states.ts; an illegal one throws instead of corrupting the state. */
  private readonly machine = new StateMachine<TransactionState>(
    'transaction',
    TRANSACTION_TRANSITIONS,
    'ready',
  );
  private readonly partitions = new Set<string>();
  private lastError: unknown;
  /** Something was added to the transaction on the coordinator (partitions or a group's offsets). */
  private touched = false;
  /** Transaction version in use: 2 when the cluster finalized it (KIP-890 part 2), else 1. */
  version = 1;

  constructor(
    readonly transactionalId: string,
    private readonly transport: ProducerTransport & TransactionTransport,
    private readonly idempotence: IdempotenceManager,
    private readonly accumulator: RecordAccumulator,
    private readonly retry: RetryOptions,
    private readonly logger: Logger,
  ) {}

  /** Picks transaction version 1 or 2 from the cluster's finalized features (after InitProducerId). */
  async detectVersion(): Promise<void> {
    let level = 1;
    try {
      level = await this.transport.transactionVersion(this.transactionalId);
    } catch (error) {
      this.logger.warn('Could not read the transaction.version feature; using transaction version 1', {
        error,
      });
    }
    this.version = level >= 2 ? 2 : 1;
    this.transport.useTransactionVersion(this.version);
    this.logger.debug('Transaction version', {
      transactionalId: this.transactionalId,
      version: this.version,
    });
  }

  get state(): TransactionState {
    return this.machine.state;
  }

  get isActive(): boolean {
    return this.state === 'inTransaction' || this.state === 'abortable';
  }

  begin(): void {
    if (this.state === 'fatal') throw this.fatalError();
    if (this.state !== 'ready') {
      throw new KafkaJSTransactionStateError(
        `Cannot begin a transaction: one is already ${this.state === 'inTransaction' ? 'active' : this.state}; commit or abort it first`,
      );
    }
    this.partitions.clear();
    this.touched = false;
    this.machine.to('inTransaction');
  }

  private fatalError(): KafkaJSTransactionStateError {
    return new KafkaJSTransactionStateError(
      'The transactional producer hit a fatal error (fenced by a newer producer with the same transactionalId?) and must be recreated',
      { cause: this.lastError },
    );
  }

  assertCanSend(): void {
    if (this.state === 'fatal') throw this.fatalError();
    if (this.state === 'abortable') {
      throw new KafkaJSTransactionStateError('The transaction failed and can only be aborted', {
        cause: this.lastError,
      });
    }
    if (this.state !== 'inTransaction') {
      throw new KafkaJSTransactionStateError(
        'Transactional sends need an active transaction: use producer.transaction()',
      );
    }
  }

  /** A batch failed for good inside the transaction: it can no longer commit. */
  markAbortable(error: unknown): void {
    if (this.state === 'fatal') return;
    if (error instanceof Error && FENCED.has((error as { code?: number }).code ?? -1)) {
      this.machine.to('fatal');
      this.lastError = error;
      return;
    }
    if (this.state === 'inTransaction') {
      this.machine.to('abortable');
      this.lastError = error;
    }
  }

  private check(code: number, what: string): void {
    if (code === Codes.NONE) return;
    const error = this.transport.errorFor(code, `${what} for transactionalId ${this.transactionalId}`);
    if (FENCED.has(code)) {
      this.machine.to('fatal');
      this.lastError = error;
      throw error;
    }
    if (code === Codes.TRANSACTION_ABORTABLE) {
      this.machine.to('abortable');
      this.lastError = error;
      throw error;
    }
    if (COORDINATOR_ERRORS.has(code)) this.transport.resetCoordinator(this.transactionalId);
    if (
      COORDINATOR_ERRORS.has(code) ||
      code === Codes.CONCURRENT_TRANSACTIONS ||
      code === Codes.OPERATION_NOT_ATTEMPTED
    ) {
      throw Object.assign(error, { retriable: true });
    }
    throw error;
  }

  /** AddPartitionsToTxn for the partitions not yet in the transaction, in one request. */
  async addPartitions(tps: Array<{ topic: string; partition: number }>): Promise<void> {
    const missing = new Map<string, number[]>();
    for (const { topic, partition } of tps) {
      const key = `${topic}\u0000${partition}`;
      if (this.partitions.has(key)) continue;
      let list = missing.get(topic);
      if (list === undefined) {
        list = [];
        missing.set(topic, list);
      }
      if (!list.includes(partition)) list.push(partition);
    }
    if (missing.size === 0) return;
    const topics = [...missing].map(([name, partitions]) => ({ name, partitions }));
    if (this.version >= 2) {
      // Produce v12 adds them: the partition leader asks the coordinator on our behalf.
      for (const t of topics) for (const p of t.partitions) this.partitions.add(`${t.name}\u0000${p}`);
      this.touched = true;
      return;
    }
    await withRetries(async () => {
      const results = await this.transport.addPartitionsToTxn(
        this.transactionalId,
        this.idempotence.pid,
        topics,
      );
      // Report the first real error (OPERATION_NOT_ATTEMPTED only means "another partition failed").
      const bad =
        results.find((r) => r.errorCode !== 0 && r.errorCode !== Codes.OPERATION_NOT_ATTEMPTED) ??
        results.find((r) => r.errorCode !== 0);
      if (bad) this.check(bad.errorCode, `AddPartitionsToTxn ${bad.name}-${bad.partition}`);
    }, this.retry);
    for (const t of topics) for (const p of t.partitions) this.partitions.add(`${t.name}\u0000${p}`);
    this.touched = true;
  }

  async sendOffsets(groupId: string, topics: OffsetsToCommit[]): Promise<void> {
    this.assertCanSend();
    // Under transaction version 2, TxnOffsetCommit v5 adds the group's offsets partition itself.
    if (this.version < 2) {
      await withRetries(async () => {
        const code = await this.transport.addOffsetsToTxn(
          this.transactionalId,
          this.idempotence.pid,
          groupId,
        );
        this.check(code, `AddOffsetsToTxn for group ${groupId}`);
      }, this.retry);
    }
    this.touched = true;
    const offsets = topics.map((t) => ({
      name: t.topic,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        offset: BigInt(p.offset),
        metadata: p.metadata ?? null,
      })),
    }));
    await withRetries(async () => {
      const results = await this.transport.txnOffsetCommit(
        this.transactionalId,
        groupId,
        this.idempotence.pid,
        offsets,
      );
      const bad = results.find((r) => r.errorCode !== 0);
      if (bad) this.check(bad.errorCode, `TxnOffsetCommit ${bad.name}-${bad.partition}`);
    }, this.retry);
  }

  /** EndTxn after the transaction's records are all acknowledged (the caller flushes first). */
  async end(commit: boolean): Promise<void> {
    if (this.state === 'fatal') throw this.fatalError();
    if (commit && this.state === 'abortable') {
      throw new KafkaJSTransactionStateError('The transaction failed and cannot commit; abort it', {
        cause: this.lastError,
      });
    }
    if (this.state !== 'inTransaction' && this.state !== 'abortable') {
      throw new KafkaJSTransactionStateError(
        `Cannot ${commit ? 'commit' : 'abort'}: no transaction is active`,
      );
    }
    this.machine.to(commit ? 'committing' : 'aborting');
    try {
      if (this.touched) {
        await withRetries(async () => {
          const { errorCode, next } = await this.transport.endTxn(
            this.transactionalId,
            this.idempotence.pid,
            commit,
          );
          this.check(errorCode, commit ? 'EndTxn(commit)' : 'EndTxn(abort)');
          const pid = this.idempotence.pid;
          if (
            next &&
            next.producerId >= 0n &&
            (next.producerId !== pid.producerId || next.producerEpoch !== pid.producerEpoch)
          ) {
            this.idempotence.adopt(next, this.accumulator);
          }
        }, this.retry);
      }
      this.partitions.clear();
      this.touched = false;
      this.machine.to('ready');
      this.logger.debug(commit ? 'Transaction committed' : 'Transaction aborted', {
        transactionalId: this.transactionalId,
      });
    } catch (error) {
      if ((this.state as TransactionState) !== 'fatal') this.machine.to('abortable');
      this.lastError = error;
      throw error;
    }
  }
}
