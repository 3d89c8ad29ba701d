/**
 * The produce gate's read-back: reads a sample from the start of every partition of a topic
 * (no group: manual assignment) and checks each data record's sequence number was sent once.
 * Runs in the orchestrator after the measured run, so it costs the client nothing.
 */
import type { Kafka } from '../../src/kafka.js';
import { seqOf } from './data.js';

export interface ReadBack {
  read: number;
  duplicates: number;
  foreign: number;
}

export async function readBack(
  kafka: Kafka,
  topic: string,
  ends: Map<number, number>,
  sent: number,
  sample: number,
): Promise<ReadBack> {
  const partitions = [...ends.keys()];
  const share = Math.ceil(sample / Math.max(1, partitions.length));
  const want = new Map(partitions.map((p) => [p, Math.min(share, ends.get(p)!)]));
  const got = new Map(partitions.map((p) => [p, 0]));
  let pending = partitions.filter((p) => want.get(p)! > 0).length;
  const seen = new Uint8Array(sent);
  const r: ReadBack = { read: 0, duplicates: 0, foreign: 0 };
  if (pending === 0) return r;
  const consumer = kafka.consumer({ autoOffsetReset: 'earliest' });
  await consumer.connect();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  try {
    consumer.assign([{ topic, partitions }]);
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const p = batch.partition;
        for (const m of batch.messages) {
          const n = got.get(p)!;
          if (n >= want.get(p)!) break;
          got.set(p, n + 1);
          if (n + 1 === want.get(p)! && --pending === 0) finish();
          const seq = seqOf(m.value);
          if (seq === undefined) continue; // a warm-up record
          r.read++;
          if (seq >= sent) r.foreign++;
          else if (seen[seq]) r.duplicates++;
          else seen[seq] = 1;
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise<void>((resolve) => (timer = setTimeout(resolve, 120_000)))]);
    clearTimeout(timer);
    return r;
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
