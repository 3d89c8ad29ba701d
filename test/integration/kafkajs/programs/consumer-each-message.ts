/**
 * A KafkaJS consumer program with eachMessage: subscribe from the beginning, print every message,
 * stop after `expected` messages. Only the import line differs from a KafkaJS program.
 */
import { Kafka, logLevel } from '../../../../src/index.js'; // the only line changed from KafkaJS

export interface EachMessageInput {
  brokers: string[];
  topic: string;
  groupId: string;
  expected: number;
}

export async function run({ brokers, topic, groupId, expected }: EachMessageInput) {
  const kafka = new Kafka({ clientId: 'my-app', brokers, logLevel: logLevel.ERROR });

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: expected }, (_, i) => ({ key: `key-${i % 3}`, value: `message ${i}` })),
  });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });

  const seen: { partition: number; offset: string; key: string; value: string }[] = [];
  let groupJoined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    groupJoined = true;
  });

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${expected} messages`)), 60000);
    consumer
      .run({
        eachMessage: async ({ topic: _topic, partition, message }) => {
          seen.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
          });
          if (seen.length === expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });

  await consumer.disconnect();
  return { seen, groupJoined };
}
