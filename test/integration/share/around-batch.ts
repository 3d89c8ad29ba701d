/**
 * The run both share-consumer tests of an unusable batch share (one the consumer cannot
 * decompress, one beyond its maxDecompressedBatchBytes): records 0-1, the batch (2-4), records
 * 5-6, then record 7 once 5 and 6 were delivered, to show the consumer keeps consuming.
 */
import { CompressionTypes } from '../../../src/index.js';
import type { Kafka } from '../../../src/kafka.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { ShareConsumerOptions } from '../../../src/share/types.js';
import { newShareConsumer, shareTopic, waitFor } from './helpers.js';

type Value = string | Buffer;

export interface AroundBatch {
  /** Prefix of the new topic's name. */
  prefix: string;
  /** Compression of records 0-1 (the later records are not compressed). */
  firstCodec: number;
  /** The three values of the batch at offsets 2-4, and its compression. */
  batch: { values: Value[]; codec: number };
  /** Runs once records 0-6 are written, before the consumer starts (to edit the log). */
  written?: (topic: string) => void;
  /** Share consumer options beyond the group. */
  consumer?: Partial<ShareConsumerOptions>;
}

/** The offsets the share consumer was handed (each once, ascending) by the time record 7 arrived. */
export async function offsetsAroundBatch(k: Kafka, admin: Cluster, run: AroundBatch): Promise<number[]> {
  const { topic, groupId } = await shareTopic(admin, run.prefix);
  const producer = k.producer();
  await producer.connect();
  try {
    const send = (values: Value[], compression: number) =>
      producer.send({ topic, compression, messages: values.map((value) => ({ partition: 0, value })) });
    await send(['a0', 'a1'], run.firstCodec);
    await send(run.batch.values, run.batch.codec);
    await send(['c5', 'c6'], CompressionTypes.None);
    run.written?.(topic);

    const consumer = newShareConsumer(k, { ...run.consumer, groupId });
    const seen: number[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(Number(message.offset)) });
    try {
      await waitFor(() => seen.includes(5) && seen.includes(6), 30_000, 'the records after the batch');
      await send(['d7'], CompressionTypes.None);
      await waitFor(() => seen.includes(7), 30_000, 'a record produced afterwards');
    } finally {
      await consumer.disconnect();
    }
    return [...new Set(seen)].sort((a, b) => a - b);
  } finally {
    await producer.disconnect();
  }
}
