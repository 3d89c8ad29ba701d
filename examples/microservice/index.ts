/**
 * A small microservice: consume orders, process them, produce the results, and shut down
 * gracefully on SIGTERM (finish the message in hand, commit, leave the group, flush the producer).
 *
 * To demonstrate the shutdown the service sends itself SIGTERM after ORDERS messages, exactly what
 * a container runtime does on `docker stop` or a Kubernetes rollout; then it checks that every
 * order has its result on the output topic and that the group committed past every order.
 *
 * Uses the cluster in KAFKA_BOOTSTRAP_SERVERS when it is set. Otherwise it starts a local broker
 * with kafkats/testing and runs the service as a child process against it: the harness kills the
 * brokers it started when their process gets SIGTERM, so the service must not share that process.
 *
 *   npx tsx examples/microservice/index.ts
 */
import { spawn } from 'node:child_process';
import { Kafka, logLevel } from '../../src/index.js';
import { startKafka } from '../../src/testing/index.js';

const ORDERS = 20;

async function service(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'order-service', brokers, logLevel: logLevel.WARN });
  const suffix = `${Date.now()}-${process.pid}`;
  const ordersTopic = `orders-${suffix}`;
  const resultsTopic = `order-results-${suffix}`;
  const groupId = `order-service-${suffix}`;

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: ordersTopic, numPartitions: 3 },
      { topic: resultsTopic, numPartitions: 3 },
    ],
  });

  // Somebody else places orders; here, a client producer before the service starts.
  const client = kafka.producer();
  await client.connect();
  await client.send({
    topic: ordersTopic,
    messages: Array.from({ length: ORDERS }, (_, i) => ({
      key: `customer-${i % 4}`,
      value: JSON.stringify({ orderId: i, items: (i % 3) + 1, unitPrice: 250 }),
    })),
  });
  await client.disconnect();

  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [ordersTopic], fromBeginning: true });

  let processed = 0;
  const stopped = new Promise<void>((resolve, reject) => {
    let shuttingDown = false;
    const shutdown = async (signal: string) => {
      if (shuttingDown) return;
      shuttingDown = true;
      console.log(`${signal}: stopping after ${processed} orders`);
      try {
        await consumer.disconnect(); // waits for the handler in progress, commits, leaves the group
        await producer.disconnect(); // flushes what is still lingering
        resolve();
      } catch (error) {
        reject(error);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });

  await consumer.run({
    eachMessage: async ({ message }) => {
      const order = JSON.parse(message.value!.toString()) as {
        orderId: number;
        items: number;
        unitPrice: number;
      };
      const total = order.items * order.unitPrice;
      await producer.send({
        topic: resultsTopic,
        messages: [{ key: message.key, value: JSON.stringify({ orderId: order.orderId, total }) }],
      });
      processed++;
      // The demonstration: the service asks itself to stop, as an orchestrator would.
      if (processed === ORDERS) process.kill(process.pid, 'SIGTERM');
    },
  });

  await stopped;

  // Every order has a result, and the group's committed offsets cover every order.
  const results = await admin.fetchTopicOffsets(resultsTopic);
  const written = results.reduce((n, p) => n + Number(p.high), 0);
  const committed = await admin.fetchOffsets({ groupId, topics: [ordersTopic] });
  const done = committed[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  await admin.deleteTopics({ topics: [ordersTopic, resultsTopic] });
  await admin.disconnect();
  console.log(`${written} results written, ${done} orders committed`);
  if (written !== ORDERS || done !== ORDERS) throw new Error(`expected ${ORDERS} results and commits`);
  console.log('microservice: OK');
}

/** Starts a broker for the demonstration and runs this file again as the service, against it. */
async function withLocalBroker(): Promise<number> {
  console.log('KAFKA_BOOTSTRAP_SERVERS is not set: starting a local Kafka broker…');
  const cluster = await startKafka();
  try {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: cluster.bootstrap },
      stdio: 'inherit',
    });
    return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await cluster.stop();
  }
}

const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS;
if (bootstrap) {
  service(bootstrap.split(',')).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  withLocalBroker().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
