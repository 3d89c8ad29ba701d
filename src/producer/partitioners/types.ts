import type { IHeaders } from '../message.js';

/** One partition as KafkaJS hands it to a partitioner. */
export interface PartitionMetadata {
  /** Kafka error code of the partition in the last Metadata response (0 when healthy). */
  partitionErrorCode: number;
  /** Partition index, from 0. */
  partitionId: number;
  /** Node id of the leader, or -1 when the partition has none right now. */
  leader: number;
  /** Broker ids of every replica. */
  replicas: number[];
  /** Broker ids of the in-sync replicas. */
  isr: number[];
  /** Broker ids of replicas that are offline. */
  offlineReplicas?: number[];
}

/** The part of a message a partitioner may look at. */
export interface PartitionerMessage {
  /** The message key as the application passed it (serialized when a key serializer is set); keyed messages hash it. */
  key?: Buffer | string | null;
  /** The message value. */
  value: Buffer | string | null;
  /** The partition the application asked for, if any. */
  partition?: number;
  /** The message's headers as given to send() (after the serializers, which may add some). */
  headers?: IHeaders;
  /** Milliseconds since the epoch as a decimal string (a number given to send() is converted). */
  timestamp?: string;
}

/** What a partitioner receives for each message. */
export interface PartitionerArgs {
  /** The topic the message goes to. */
  topic: string;
  /** Every partition of the topic, from the producer's metadata cache. */
  partitionMetadata: PartitionMetadata[];
  /** The message. */
  message: PartitionerMessage;
}

/** Returns the partition id for one message. */
export type Partitioner = (args: PartitionerArgs) => number;

/** What the built-in partitioners are told when the producer creates them (user factories may ignore it). */
export interface PartitionerOptions {
  /** The producer's `batchSize`: the sticky partitioner moves on after this many bytes. */
  batchSize?: number;
}

/** KafkaJS's `createPartitioner` option: called once per producer. */
export type ICustomPartitioner = (options?: PartitionerOptions) => Partitioner;
