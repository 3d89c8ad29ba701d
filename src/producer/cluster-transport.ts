import { createProtocolError } from '../errors/protocol.js';
import type { Cluster } from '../network/cluster.js';
import type { Connection } from '../network/connection.js';
import { featureLevel } from '../network/features.js';
import type { ApiMessage } from '../protocol/api.js';
import { Codes } from '../protocol/codes.js';
import { AddOffsetsToTxn } from '../protocol/messages/add-offsets-to-txn.js';
import { AddPartitionsToTxn } from '../protocol/messages/add-partitions-to-txn.js';
import { EndTxn } from '../protocol/messages/end-txn.js';
import { InitProducerId } from '../protocol/messages/init-producer-id.js';
import { Produce } from '../protocol/messages/produce.js';
import { TxnOffsetCommit } from '../protocol/messages/txn-offset-commit.js';
import type { PartitionMetadata } from './partitioners/types.js';
import type {
  ProduceRequestData,
  ProduceResponseData,
  ProducerIdAndEpoch,
  ProducerTransport,
  TransactionTransport,
} from './transport.js';

/**
 * Highest versions used under transaction version 1: Produce v12, EndTxn v5, AddOffsetsToTxn v4
 * and TxnOffsetCommit v5 opt a transaction into transaction version 2 (KIP-890 part 2: implicit
 * partition adds, an epoch bump at every EndTxn), which a broker without the finalized
 * `transaction.version` 2 feature does not have. Produce v13 switches to topic ids, so Produce
 * stays at 12 under version 2 as well.
 */
const CAP_V1 = new Map<number, number>([
  [Produce.apiKey, 11],
  [EndTxn.apiKey, 4],
  [AddOffsetsToTxn.apiKey, 3],
  [AddPartitionsToTxn.apiKey, 3],
  [TxnOffsetCommit.apiKey, 4],
]);
const CAP_V2 = new Map<number, number>([
  [Produce.apiKey, 12],
  [EndTxn.apiKey, 5],
  [AddOffsetsToTxn.apiKey, 3],
  [AddPartitionsToTxn.apiKey, 3],
  [TxnOffsetCommit.apiKey, 5],
]);

function capped(
  connection: Connection,
  api: ApiMessage<unknown, unknown>,
  caps: ReadonlyMap<number, number>,
): number | undefined {
  const cap = caps.get(api.apiKey);
  if (cap === undefined) return undefined;
  return Math.min(connection.versionFor(api), cap);
}

const COORDINATOR_CODES = new Set<number>([
  Codes.COORDINATOR_LOAD_IN_PROGRESS,
  Codes.COORDINATOR_NOT_AVAILABLE,
  Codes.NOT_COORDINATOR,
]);

/** The producer's view of a {@link Cluster}: metadata cache reads, Produce to leaders, coordinator APIs. */
export class ClusterTransport implements ProducerTransport, TransactionTransport {
  private caps: ReadonlyMap<number, number> = CAP_V1;

  constructor(private readonly cluster: Cluster) {}

  connect(): Promise<void> {
    return this.cluster.connect();
  }

  disconnect(): Promise<void> {
    return this.cluster.disconnect();
  }

  leaderFor(topic: string, partition: number): number {
    const m = this.cluster.metadata.topics.get(topic);
    const p = m?.partitions[partition];
    return p && p.partitionId === partition ? p.leader : -1;
  }

  partitionsFor(topic: string): PartitionMetadata[] | undefined {
    const m = this.cluster.metadata.topics.get(topic);
    if (m?.errorCode !== 0) return undefined;
    return m.partitions.map((p) => ({
      partitionErrorCode: p.errorCode,
      partitionId: p.partitionId,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      offlineReplicas: p.offlineReplicas,
    }));
  }

  async refreshMetadata(topics: string[]): Promise<void> {
    await this.cluster.refreshMetadata(topics);
    for (const t of topics) {
      const m = this.cluster.metadata.topics.get(t);
      // A topic that does not exist (and was not auto-created) is a typed error the caller may retry.
      if (m && m.errorCode !== 0) throw createProtocolError(m.errorCode, `topic "${t}"`);
    }
  }

  async produce(nodeId: number, request: ProduceRequestData): Promise<ProduceResponseData | null> {
    const connection = await this.cluster.connectionTo(nodeId, 'produce');
    const version = capped(connection, Produce, this.caps);
    if (request.acks === 0) {
      await connection.sendNoResponse(Produce, request, { version });
      return null;
    }
    const res = await connection.send(Produce, request, { version, timeout: undefined });
    return {
      throttleTimeMs: res.throttleTimeMs,
      responses: res.responses.map((t) => ({
        name: t.name ?? '',
        partitionResponses: t.partitionResponses.map((p) => ({
          index: p.index,
          errorCode: p.errorCode,
          baseOffset: p.baseOffset,
          logAppendTimeMs: p.logAppendTimeMs,
          logStartOffset: p.logStartOffset ?? -1n,
          errorMessage: p.errorMessage ?? null,
        })),
      })),
    };
  }

  errorFor(code: number, message?: string | null): Error & { retriable?: boolean } {
    return createProtocolError(code, message ?? undefined);
  }

  async initProducerId(
    transactionalId: string | null,
    transactionTimeoutMs: number,
    current?: ProducerIdAndEpoch,
  ): Promise<ProducerIdAndEpoch> {
    const connection =
      transactionalId === null
        ? await this.cluster.anyConnection()
        : await this.cluster.coordinatorConnection('transaction', transactionalId);
    const res = await connection.send(InitProducerId, {
      transactionalId,
      transactionTimeoutMs,
      producerId: current?.producerId ?? -1n,
      producerEpoch: current?.producerEpoch ?? -1,
    });
    if (res.errorCode !== 0) {
      if (transactionalId !== null && COORDINATOR_CODES.has(res.errorCode))
        this.resetCoordinator(transactionalId);
      throw createProtocolError(
        res.errorCode,
        `InitProducerId${transactionalId ? ` for ${transactionalId}` : ''}`,
      );
    }
    return { producerId: res.producerId, producerEpoch: res.producerEpoch };
  }

  private async coordinator(transactionalId: string): Promise<Connection> {
    return this.cluster.coordinatorConnection('transaction', transactionalId);
  }

  resetCoordinator(transactionalId: string): void {
    this.cluster.forgetCoordinator('transaction', transactionalId);
  }

  async transactionVersion(transactionalId: string): Promise<number> {
    const connection = await this.coordinator(transactionalId);
    // Version 2 needs EndTxn v5 from the coordinator; the feature level comes from ApiVersions.
    if (connection.versionFor(EndTxn) < 5) return 1;
    try {
      return featureLevel(
        await this.cluster.coordinatorFeatures('transaction', transactionalId),
        'transaction.version',
      );
    } catch (error) {
      // A broker error in the ApiVersions answer: stay on version 1; transport errors go to the caller.
      if (typeof (error as { code?: unknown }).code === 'number') return 1;
      throw error;
    }
  }

  useTransactionVersion(version: number): void {
    this.caps = version >= 2 ? CAP_V2 : CAP_V1;
  }

  async addPartitionsToTxn(
    transactionalId: string,
    pid: ProducerIdAndEpoch,
    topics: Array<{ name: string; partitions: number[] }>,
  ): Promise<Array<{ name: string; partition: number; errorCode: number }>> {
    const connection = await this.coordinator(transactionalId);
    const res = await connection.send(
      AddPartitionsToTxn,
      {
        v3AndBelowTransactionalId: transactionalId,
        v3AndBelowProducerId: pid.producerId,
        v3AndBelowProducerEpoch: pid.producerEpoch,
        v3AndBelowTopics: topics,
      },
      { version: capped(connection, AddPartitionsToTxn, this.caps) },
    );
    const out: Array<{ name: string; partition: number; errorCode: number }> = [];
    for (const t of res.resultsByTopicV3AndBelow ?? []) {
      for (const p of t.resultsByPartition)
        out.push({ name: t.name, partition: p.partitionIndex, errorCode: p.partitionErrorCode });
    }
    if (res.errorCode) out.push({ name: '', partition: -1, errorCode: res.errorCode });
    return out;
  }

  async addOffsetsToTxn(transactionalId: string, pid: ProducerIdAndEpoch, groupId: string): Promise<number> {
    const connection = await this.coordinator(transactionalId);
    const res = await connection.send(
      AddOffsetsToTxn,
      { transactionalId, producerId: pid.producerId, producerEpoch: pid.producerEpoch, groupId },
      { version: capped(connection, AddOffsetsToTxn, this.caps) },
    );
    return res.errorCode;
  }

  async txnOffsetCommit(
    transactionalId: string,
    groupId: string,
    pid: ProducerIdAndEpoch,
    topics: Array<{
      name: string;
      partitions: Array<{ partition: number; offset: bigint; metadata: string | null }>;
    }>,
  ): Promise<Array<{ name: string; partition: number; errorCode: number }>> {
    // TxnOffsetCommit goes to the group coordinator, not the transaction coordinator.
    const connection = await this.cluster.coordinatorConnection('group', groupId);
    const res = await connection.send(
      TxnOffsetCommit,
      {
        transactionalId,
        groupId,
        producerId: pid.producerId,
        producerEpoch: pid.producerEpoch,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({
            partitionIndex: p.partition,
            committedOffset: p.offset,
            committedLeaderEpoch: -1,
            committedMetadata: p.metadata,
          })),
        })),
      },
      { version: capped(connection, TxnOffsetCommit, this.caps) },
    );
    const out: Array<{ name: string; partition: number; errorCode: number }> = [];
    for (const t of res.topics) {
      for (const p of t.partitions)
        out.push({ name: t.name ?? '', partition: p.partitionIndex, errorCode: p.errorCode });
    }
    if (out.some((r) => COORDINATOR_CODES.has(r.errorCode))) this.cluster.forgetCoordinator('group', groupId);
    return out;
  }

  async endTxn(
    transactionalId: string,
    pid: ProducerIdAndEpoch,
    commit: boolean,
  ): Promise<{ errorCode: number; next?: ProducerIdAndEpoch }> {
    const connection = await this.coordinator(transactionalId);
    const version = capped(connection, EndTxn, this.caps);
    const res = await connection.send(
      EndTxn,
      { transactionalId, producerId: pid.producerId, producerEpoch: pid.producerEpoch, committed: commit },
      { version },
    );
    // From v5 (transaction version 2) the coordinator bumped the epoch and says which to use next.
    if (version !== undefined && version >= 5 && res.errorCode === 0 && res.producerId !== undefined) {
      return {
        errorCode: 0,
        next: { producerId: res.producerId, producerEpoch: res.producerEpoch ?? -1 },
      };
    }
    return { errorCode: res.errorCode };
  }
}
