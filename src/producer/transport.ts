import type { NetworkPort } from '../network/port.js';
import type { PartitionMetadata } from './partitioners/types.js';

/**
 * What the producer needs from the network layer, in the shape of the generated Produce,
 * InitProducerId and transaction messages (camelCase fields, int64 as bigint): an extension of
 * the network's one port ({@link NetworkPort}, implemented by `Cluster`) in the producer's words.
 * The real implementation (cluster-transport.ts) routes these through the Cluster; unit tests use
 * a fake broker. Keeping this seam narrow lets the sender's retry and idempotence logic be tested
 * without sockets.
 */
export interface ProduceRequestData {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer }> }>;
}

export interface ProducePartitionResult {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  errorMessage?: string | null;
}

export interface ProduceResponseData {
  /** How long the broker throttled this client (quota), in ms; 0 when not throttled. */
  throttleTimeMs?: number;
  responses: Array<{ name: string; partitionResponses: ProducePartitionResult[] }>;
}

export interface ProducerIdAndEpoch {
  producerId: bigint;
  producerEpoch: number;
}

export interface ProducerTransport extends Pick<NetworkPort, 'connect' | 'disconnect'> {
  /** Leader node id of a partition from the metadata cache, or -1 when unknown. */
  leaderFor(topic: string, partition: number): number;
  /** The topic's partitions from the metadata cache, or undefined when the topic is not cached. */
  partitionsFor(topic: string): PartitionMetadata[] | undefined;
  /** Loads (or reloads) metadata for these topics; may create them when auto-creation is on. */
  refreshMetadata(topics: string[]): Promise<void>;
  /** Sends one Produce request to a broker; resolves null when acks is 0 (no answer). */
  produce(nodeId: number, request: ProduceRequestData): Promise<ProduceResponseData | null>;
  /**
   * InitProducerId: to any broker when `transactionalId` is null, to the transaction coordinator
   * otherwise. `current` asks for an epoch bump of an existing id (KIP-360). Throws the broker's
   * error as a typed protocol error.
   */
  initProducerId(
    transactionalId: string | null,
    transactionTimeoutMs: number,
    current?: ProducerIdAndEpoch,
  ): Promise<ProducerIdAndEpoch>;
  /** The typed error (KafkaJSProtocolError family) for a broker error code. */
  errorFor(code: number, message?: string | null): Error & { retriable?: boolean };
}

/** The transaction coordinator's APIs (transactions.ts); separate so an idempotent-only producer needs none. */
export interface TransactionTransport {
  addPartitionsToTxn(
    transactionalId: string,
    pid: ProducerIdAndEpoch,
    topics: Array<{ name: string; partitions: number[] }>,
  ): Promise<Array<{ name: string; partition: number; errorCode: number }>>;
  addOffsetsToTxn(transactionalId: string, pid: ProducerIdAndEpoch, groupId: string): Promise<number>;
  txnOffsetCommit(
    transactionalId: string,
    groupId: string,
    pid: ProducerIdAndEpoch,
    topics: Array<{
      name: string;
      partitions: Array<{ partition: number; offset: bigint; metadata: string | null }>;
    }>,
  ): Promise<Array<{ name: string; partition: number; errorCode: number }>>;
  /** Returns the error code and, from EndTxn v5 on (KIP-890), the producer id/epoch to use next. */
  endTxn(
    transactionalId: string,
    pid: ProducerIdAndEpoch,
    commit: boolean,
  ): Promise<{ errorCode: number; next?: ProducerIdAndEpoch }>;
  /**
   * The transaction version this client can use with the coordinator of `transactionalId`: the
   * cluster's finalized `transaction.version` feature level (0 when absent), or 1 when the
   * coordinator lacks EndTxn v5.
   */
  transactionVersion(transactionalId: string): Promise<number>;
  /** Picks the request versions for transaction version 1 or 2 (KIP-890 part 2). */
  useTransactionVersion(version: number): void;
  /** Forgets the cached transaction coordinator (after NOT_COORDINATOR and the like). */
  resetCoordinator(transactionalId: string): void;
}
