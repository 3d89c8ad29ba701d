import type { IHeaders } from '../message.js';

/** One partition as KafkaJS hands it to a partitioner. */
export interface PartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  /** Node id of the leader, or -1 when the partition has none right now. */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
}

/** The part of a message a partitioner may look at. */
export interface PartitionerMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  /** The message's headers as given to send() (after the serializers, which may add some). */
  headers?: IHeaders;
  /** Milliseconds since the epoch as a decimal string (a number given to send() is converted). */
  timestamp?: string;
}

export interface PartitionerArgs {
  topic: string;
  partitionMetadata: PartitionMetadata[];
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
