/**
 * A KafkaJS producer program: connect, send to one topic with keys, headers and an explicit
 * partition, sendBatch to two topics with GZIP, disconnect. Written as KafkaJS's documentation
 * writes producers; only the import line differs from a KafkaJS program.
 */
import { CompressionTypes, Kafka, logLevel, Partitioners } from '../../../../src/index.js'; // the only line changed from KafkaJS

export interface ProducerProgramInput {
  brokers: string[];
  topic: string;
  otherTopic: string;
}

export async function run({ brokers, topic, otherTopic }: ProducerProgramInput) {
  const kafka = new Kafka({
    clientId: 'my-app',
    brokers,
    logLevel: logLevel.ERROR,
  });

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 3 },
      { topic: otherTopic, numPartitions: 1 },
    ],
  });
  await admin.disconnect();

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const single = await producer.send({
    topic,
    messages: [
      { key: 'key1', value: 'hello world' },
      {
        key: 'key2',
        value: 'hey hey!',
        headers: { 'correlation-id': '2bfb68bb-893a-423b-a7fa-7b568cad5b67' },
      },
      { value: 'to partition 2', partition: 2 },
    ],
  });

  const batch = await producer.sendBatch({
    compression: CompressionTypes.GZIP,
    topicMessages: [
      { topic, messages: [{ key: 'key1', value: 'again' }] },
      { topic: otherTopic, messages: [{ value: 'one' }, { value: 'two' }] },
    ],
  });

  await producer.disconnect();
  return { single, batch };
}
