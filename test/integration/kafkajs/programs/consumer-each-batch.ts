/**
 * A KafkaJS consumer program with eachBatch and manual resolution: resolveOffset per message,
 * heartbeat, commitOffsetsIfNecessary, isRunning/isStale checks. Only the import line differs from
 * a KafkaJS program.
 */
import { Kafka, logLevel } from '../../../../src/index.js'; // the only line changed from KafkaJS

export interface EachBatchInput {
  brokers: string[];
  topic: string;
  groupId: string;
  expected: number;
}

export async function run({ brokers, topic, groupId, expected }: EachBatchInput) {
  const kafka = new Kafka({ clientId: 'my-app', brokers, logLevel: logLevel.ERROR });

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: expected }, (_, i) => ({ value: `batch message ${i}` })),
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });

  let processed = 0;
  let batches = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${processed} of ${expected} messages`)), 60000);
    consumer
      .run({
        eachBatchAutoResolve: false,
        eachBatch: async ({
          batch,
          resolveOffset,
          heartbeat,
          commitOffsetsIfNecessary,
          isRunning,
          isStale,
        }) => {
          batches++;
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            processed++;
            resolveOffset(message.offset);
            await heartbeat();
          }
          await commitOffsetsIfNecessary();
          if (processed >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });

  await consumer.disconnect();

  const admin = kafka.admin();
  await admin.connect();
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.disconnect();
  return { processed, batches, committed };
}
