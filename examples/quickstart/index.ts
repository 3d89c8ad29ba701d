/**
 * kafkats quickstart: produce a few messages and read them back.
 *
 * Uses the cluster in KAFKA_BOOTSTRAP_SERVERS when it is set; otherwise starts a local Apache
 * Kafka broker with kafkats/testing (Java 17+ and Maven needed; the jars are cached after the
 * first run) and stops it at the end.
 *
 *   npm run quickstart
 */
import { Kafka, logLevel } from '../../src/index.js';
import { type KafkaCluster, useKafka } from '../../src/testing/index.js';

async function main(): Promise<void> {
  const external = process.env.KAFKA_BOOTSTRAP_SERVERS;
  let cluster: KafkaCluster | undefined;
  if (!external) console.log('KAFKA_BOOTSTRAP_SERVERS is not set: starting a local Kafka broker…');
  cluster = await useKafka();
  console.log(`Kafka ${cluster.version} at ${cluster.bootstrap}`);

  const kafka = new Kafka({ clientId: 'quickstart', brokers: cluster.brokers, logLevel: logLevel.WARN });
  const topic = `quickstart-${Date.now()}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `${topic}-group` });

  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });

    await producer.connect();
    const sent = await producer.send({
      topic,
      messages: [
        { key: 'alice', value: 'hello' },
        { key: 'bob', value: 'from' },
        { key: 'carol', value: 'kafkats' },
      ],
    });
    for (const r of sent) console.log(`produced to ${r.topicName}[${r.partition}] at offset ${r.baseOffset}`);

    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the messages')), 60_000);
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const line = `${message.key?.toString()} = ${message.value?.toString()} (partition ${partition}, offset ${message.offset})`;
            console.log(`consumed ${line}`);
            received.push(line);
            if (received.length === 3) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    console.log('quickstart: OK');
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await cluster?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
