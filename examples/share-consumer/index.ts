/**
 * Share groups (KIP-932, "queues for Kafka"): two consumers read the same single-partition topic
 * and split its records between them. Each record is accepted when the handler returns, released
 * (delivered again, with a higher deliveryCount) when it throws, or rejected explicitly.
 *
 * Uses the cluster in KAFKA_BOOTSTRAP_SERVERS when it is set (Kafka 4.2+, or 4.0/4.1 with
 * share.version=1); otherwise starts a local Apache Kafka 4.x broker with kafkats/testing and stops
 * it at the end.
 *
 *   npx tsx examples/share-consumer/index.ts
 */
import { Kafka, logLevel } from '../../src/index.js';
import { useKafka } from '../../src/testing/index.js';

async function main(): Promise<void> {
  if (!process.env.KAFKA_BOOTSTRAP_SERVERS)
    console.log('KAFKA_BOOTSTRAP_SERVERS is not set: starting a local Kafka broker…');
  const cluster = await useKafka();
  console.log(`Kafka ${cluster.version} at ${cluster.bootstrap}`);
  const kafka = new Kafka({ clientId: 'share-example', brokers: cluster.brokers, logLevel: logLevel.WARN });
  const topic = `share-example-${Date.now()}`;
  const groupId = `${topic}-workers`;

  const admin = kafka.admin();
  const producer = kafka.producer();
  const workers = [
    kafka.shareConsumer({ groupId, maxRecords: 5 }),
    kafka.shareConsumer({ groupId, maxRecords: 5 }),
  ];

  try {
    // A share group starts at the end of the log by default; read what is already there too.
    await admin.connect();
    await admin.setShareGroupAutoOffsetReset({ groupId, reset: 'earliest' });

    await producer.connect();
    for (let i = 0; i < 20; i += 5) {
      await producer.send({
        topic,
        messages: Array.from({ length: 5 }, (_, j) => ({ value: `job-${i + j}` })),
      });
    }

    let done = 0;
    await Promise.all(
      workers.map(async (worker, n) => {
        await worker.connect();
        await worker.subscribe({ topics: [topic] });
        await worker.run({
          eachMessage: async ({ message, acknowledge }) => {
            const job = message.value?.toString();
            if (job === 'job-13' && message.deliveryCount === 1) {
              console.log(`worker ${n}: ${job} failed, releasing it for another try`);
              throw new Error('transient failure');
            }
            if (job === 'job-7') {
              console.log(`worker ${n}: ${job} is poison, rejecting it`);
              acknowledge('reject');
            } else {
              console.log(`worker ${n}: ${job} (delivery ${message.deliveryCount})`);
            }
            done++;
            await new Promise((resolve) => setTimeout(resolve, 50));
          },
        });
      }),
    );
    const until = Date.now() + 30_000;
    while (done < 20 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    console.log(`${done} of 20 jobs handled`);
  } finally {
    await Promise.all(workers.map((w) => w.disconnect()));
    await producer.disconnect();
    await admin.disconnect();
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
