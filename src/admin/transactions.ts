/**
 * Producers and transactions (KIP-664): DescribeProducers on partition leaders,
 * DescribeTransactions on transaction coordinators, ListTransactions on every broker, and
 * fencing (InitProducerId with the transactional id, which bumps the epoch).
 */
import {
  DescribeProducers,
  DescribeTransactions,
  InitProducerId,
  ListTransactions,
} from '../protocol/messages/index.js';
import { brokerError, byPartition, Codes, isStaleLeader } from './common.js';
import type { AdminCluster } from './context.js';
import { type AdminItemError, tagError, throwIfAny } from './errors.js';
import { topicInfo } from './offsets.js';
import { shardRequests } from './shard.js';
import { requireArray, requireObject, requireString, validateGroupIds } from './validation.js';

/** An idempotent or transactional producer active on a partition, as `admin.describeProducers` reports it (KIP-664). */
export interface ProducerStateDescription {
  /** The producer id (decimal string). */
  producerId: string;
  /** The producer id's current epoch. */
  producerEpoch: number;
  /** Sequence number of the last record the partition accepted from it (-1 when none). */
  lastSequence: number;
  /** Timestamp of its last record, in milliseconds since the epoch (decimal string; -1 when none). */
  lastTimestamp: string;
  /** Epoch of the transaction coordinator that last wrote a marker for it. */
  coordinatorEpoch: number;
  /** Offset of the first record of its open transaction (decimal string); -1 when no transaction is open. */
  currentTransactionStartOffset: string;
}

export async function describeProducers(
  cluster: AdminCluster,
  options: { topic: string; partitions?: number[] },
): Promise<
  Array<{
    /** Partition index. */
    partition: number;
    /** Producers with state on the partition (open transactions, idempotent sequences). */
    activeProducers: ProducerStateDescription[];
  }>
> {
  requireObject('describeProducers', options);
  requireString('topic', options.topic);
  const { topic } = options;
  const partitions = options.partitions ?? (await topicInfo(cluster, topic)).partitions;
  const outcomes = await shardRequests<number, ProducerStateDescription[]>({
    items: partitions,
    route: (p) => cluster.leaderFor(topic, p),
    send: async (node, items) => {
      const res = await cluster.send(node, DescribeProducers, {
        topics: [{ name: topic, partitionIndexes: items }],
      });
      return (res.topics.find((t) => t.name === topic)?.partitions ?? []).map((p) =>
        p.errorCode !== Codes.NONE
          ? {
              item: p.partitionIndex,
              error: brokerError(p.errorCode, p.errorMessage, { topic, partition: p.partitionIndex }),
            }
          : {
              item: p.partitionIndex,
              value: p.activeProducers.map((s) => ({
                producerId: String(s.producerId),
                producerEpoch: s.producerEpoch,
                lastSequence: s.lastSequence,
                lastTimestamp: String(s.lastTimestamp),
                coordinatorEpoch: s.coordinatorEpoch,
                currentTransactionStartOffset: String(s.currentTxnStartOffset),
              })),
            },
      );
    },
    beforeRetry: () => cluster.invalidate([topic]),
    shouldRetry: (e) => isStaleLeader((e as { code?: number }).code ?? 0),
    describe: (p) => ({ topic, partition: p }),
  });
  throwIfAny(
    `Error describing producers of topic "${topic}"`,
    outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError),
  );
  return outcomes.map((o) => ({ partition: o.item, activeProducers: o.value ?? [] })).sort(byPartition);
}

/** A transaction as its coordinator reports it (`admin.describeTransactions`, KIP-664). */
export interface TransactionDescription {
  /** The producer's `transactionalId`. */
  transactionalId: string;
  /** Coordinator state: `Empty`, `Ongoing`, `PrepareCommit`, `PrepareAbort`, `CompleteCommit`, `CompleteAbort`, `Dead`, `PrepareEpochFence`. */
  state: string;
  /** The producer's `transactionTimeout`, in ms. */
  timeoutMs: number;
  /** When the current transaction started, in milliseconds since the epoch (decimal string). */
  startTimeMs: string;
  /** The producer id (decimal string). */
  producerId: string;
  /** The producer id's current epoch. */
  producerEpoch: number;
  /** Partitions written in the current transaction, by topic. */
  topics: Array<{
    /** Topic name. */
    topic: string;
    /** Partition indexes, sorted. */
    partitions: number[];
  }>;
}

export async function describeTransactions(
  cluster: AdminCluster,
  transactionalIds: string[],
): Promise<{
  /** One description per requested transactional id. */
  transactions: TransactionDescription[];
}> {
  validateGroupIds('transactionalIds', transactionalIds);
  const outcomes = await shardRequests<string, TransactionDescription>({
    items: transactionalIds,
    route: (id) => cluster.coordinator('transaction', id),
    send: async (node, ids) => {
      const res = await cluster.send(node, DescribeTransactions, { transactionalIds: ids });
      return res.transactionStates.map((s) =>
        s.errorCode !== Codes.NONE
          ? {
              item: s.transactionalId,
              error: brokerError(s.errorCode, null, { transactionalId: s.transactionalId }),
            }
          : {
              item: s.transactionalId,
              value: {
                transactionalId: s.transactionalId,
                state: s.transactionState,
                timeoutMs: s.transactionTimeoutMs,
                startTimeMs: String(s.transactionStartTimeMs),
                producerId: String(s.producerId),
                producerEpoch: s.producerEpoch,
                topics: s.topics.map((t) => ({
                  topic: t.topic,
                  partitions: [...t.partitions].sort((a, b) => a - b),
                })),
              },
            },
      );
    },
    beforeRetry: async (failed) => {
      for (const f of failed) cluster.forgetCoordinator('transaction', f.item);
    },
    describe: (id) => ({ transactionalId: id }),
    attempts: 6,
  });
  throwIfAny(
    'Error describing transactions',
    outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError),
  );
  return { transactions: outcomes.map((o) => o.value as TransactionDescription) };
}

export async function listTransactions(
  cluster: AdminCluster,
  options: {
    states?: string[];
    producerIds?: Array<string | bigint>;
    minDurationMs?: number;
    transactionalIdPattern?: string;
  } = {},
): Promise<{
  /** The transactional ids of the cluster that match the filters. */
  transactions: Array<{
    /** The transactional id. */
    transactionalId: string;
    /** Producer id of the transactional producer, as a decimal string. */
    producerId: string;
    /** Transaction state as the coordinator names it (`Ongoing`, `CompleteCommit`, ...). */
    state: string;
    /** Node id of the transaction coordinator that reported it. */
    brokerId: number;
  }>;
}> {
  const brokers = await cluster.brokerIds();
  const transactions: Array<{
    transactionalId: string;
    producerId: string;
    state: string;
    brokerId: number;
  }> = [];
  const errors: AdminItemError[] = [];
  await Promise.all(
    brokers.map(async (brokerId) => {
      try {
        const res = await cluster.retry(() =>
          cluster.send(brokerId, ListTransactions, {
            stateFilters: options.states ?? [],
            producerIdFilters: (options.producerIds ?? []).map((p) => BigInt(p)),
            durationFilter: options.minDurationMs === undefined ? -1n : BigInt(options.minDurationMs),
            transactionalIdPattern: options.transactionalIdPattern ?? null,
          }),
        );
        if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, null, { brokerId });
        for (const t of res.transactionStates) {
          transactions.push({
            transactionalId: t.transactionalId,
            producerId: String(t.producerId),
            state: t.transactionState,
            brokerId,
          });
        }
      } catch (e) {
        errors.push(tagError(e instanceof Error ? e : new Error(String(e)), { brokerId }));
      }
    }),
  );
  throwIfAny('Error listing transactions', errors);
  transactions.sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
  return { transactions };
}

/**
 * Fences the producers of the given transactional ids (KIP-664's fenceProducers): an InitProducerId on each id's coordinator bumps the epoch, so the
 * current producer gets PRODUCER_FENCED on its next transactional request and its open
 * transaction is aborted.
 */
export async function fenceProducers(
  cluster: AdminCluster,
  transactionalIds: string[],
): Promise<
  Array<{
    /** The fenced transactional id. */
    transactionalId: string;
    /** Producer id of the transactional id, as a decimal string. */
    producerId: string;
    /** The epoch bumped by the fencing: producers with an older epoch are fenced. */
    producerEpoch: number;
  }>
> {
  requireArray('transactionalIds', transactionalIds);
  validateGroupIds('transactionalIds', transactionalIds);
  const outcomes = await shardRequests<string, { producerId: bigint; producerEpoch: number }>({
    items: transactionalIds,
    route: (id) => cluster.coordinator('transaction', id),
    send: async (node, ids) =>
      Promise.all(
        ids.map(async (id) => {
          const res = await cluster.send(node, InitProducerId, {
            transactionalId: id,
            transactionTimeoutMs: 60_000,
            producerId: -1n,
            producerEpoch: -1,
          });
          return res.errorCode !== Codes.NONE
            ? { item: id, error: brokerError(res.errorCode, null, { transactionalId: id }) }
            : { item: id, value: { producerId: res.producerId, producerEpoch: res.producerEpoch } };
        }),
      ),
    beforeRetry: async (failed) => {
      for (const f of failed) cluster.forgetCoordinator('transaction', f.item);
    },
    describe: (id) => ({ transactionalId: id }),
    // A new transactional id may land on a coordinator still loading __transaction_state.
    attempts: 8,
  });
  throwIfAny(
    'Error fencing producers',
    outcomes.filter((o) => o.error).map((o) => o.error as AdminItemError),
  );
  return outcomes.map((o) => ({
    transactionalId: o.item,
    producerId: String(o.value!.producerId),
    producerEpoch: o.value!.producerEpoch,
  }));
}
