/**
 * A KafkaJS admin program: createTopics, listTopics, fetchTopicOffsets, listGroups/describeGroups
 * while a consumer is in its group, createPartitions, fetchTopicMetadata, fetchOffsets,
 * resetOffsets, deleteGroups, deleteTopics. Only the import line differs from a KafkaJS program.
 */
import { Kafka, logLevel } from '../../../../src/index.js'; // the only line changed from KafkaJS

export interface AdminProgramInput {
  brokers: string[];
  topic: string;
  groupId: string;
}

export async function run({ brokers, topic, groupId }: AdminProgramInput) {
  const kafka = new Kafka({ clientId: 'my-app', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();

  const created = await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic,
        numPartitions: 3,
        replicationFactor: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'delete' }],
      },
    ],
  });
  const createdAgain = await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
  const topics = await admin.listTopics();

  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [0, 1, 2, 3, 4, 5].map((i) => ({ value: `v${i}`, partition: i % 3 })),
  });
  await producer.disconnect();
  const topicOffsets = await admin.fetchTopicOffsets(topic);

  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let consumed = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed only ${consumed} of 6`)), 60000);
    consumer
      .run({
        eachMessage: async () => {
          if (++consumed === 6) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  const listed = await admin.listGroups();
  // Kept as a settled result so the caller can tell a rejection apart from an answer.
  const described = await admin.describeGroups([groupId]).then(
    (value) => ({ value, error: undefined }),
    (error: Error) => ({ value: undefined, error }),
  );
  await consumer.disconnect();

  await admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] });
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });

  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  await admin.resetOffsets({ groupId, topic, earliest: true });
  const afterReset = await admin.fetchOffsets({ groupId, topics: [topic] });
  const cluster = await admin.describeCluster();

  await admin.deleteGroups([groupId]);
  await admin.deleteTopics({ topics: [topic] });
  const topicsAfterDelete = await admin.listTopics();
  await admin.disconnect();

  return {
    created,
    createdAgain,
    topics,
    metadata,
    topicOffsets,
    listed,
    described,
    committed,
    afterReset,
    cluster,
    topicsAfterDelete,
  };
}
