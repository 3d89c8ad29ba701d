/**
 * TLS + SCRAM-SHA-512: connect to a SASL_SSL listener, trusting a private CA, logging in with a
 * SCRAM user; produce and read back one message; show that a wrong password is refused with
 * KafkaJSSASLAuthenticationError (which is not retried).
 *
 * Reads, like kafkats/testing's attachKafka():
 *   KAFKA_SASL_SSL      host:port of the SASL_SSL listener(s), comma-separated
 *   KAFKA_TLS_CA        path of the CA certificate (PEM) that signed the broker's certificate
 *   KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD   a SCRAM-SHA-512 user (default: the harness's alice)
 * With KAFKA_SASL_SSL unset it starts a local broker with kafkats/testing (which has a SASL_SSL
 * listener, a throwaway CA and SCRAM users) and stops it at the end.
 *
 *   npx tsx examples/tls-scram/index.ts
 */
import { readFileSync } from 'node:fs';
import { Kafka, KafkaJSSASLAuthenticationError, logLevel } from '../../src/index.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';

interface Target {
  brokers: string[];
  ca: string;
  username: string;
  password: string;
  cluster?: KafkaCluster;
}

async function target(): Promise<Target> {
  const listeners = process.env.KAFKA_SASL_SSL;
  const user = { username: process.env.KAFKA_SASL_USERNAME, password: process.env.KAFKA_SASL_PASSWORD };
  if (listeners) {
    const caPath = process.env.KAFKA_TLS_CA;
    if (!caPath) throw new Error('KAFKA_SASL_SSL is set but KAFKA_TLS_CA (the CA certificate path) is not');
    return {
      brokers: listeners.split(',').map((s) => s.trim()),
      ca: readFileSync(caPath, 'utf8'),
      username: user.username ?? 'alice',
      password: user.password ?? 'alice-secret',
    };
  }
  console.log('KAFKA_SASL_SSL is not set: starting a local Kafka broker…');
  const cluster = await startKafka();
  const scramUsers = cluster.users.filter((u) => u.mechanisms.includes('SCRAM-SHA-512'));
  const alice = scramUsers.find((u) => u.username === 'alice') ?? scramUsers[0]!; // not the super user
  return {
    brokers: cluster.listeners.saslSsl,
    ca: cluster.tls.ca,
    username: user.username ?? alice.username,
    password: user.password ?? alice.password,
    cluster,
  };
}

async function main(): Promise<void> {
  const { brokers, ca, username, password, cluster } = await target();
  const kafka = new Kafka({
    clientId: 'tls-scram-example',
    brokers,
    logLevel: logLevel.WARN,
    // Node's TLS options: trust the private CA. The harness's certificate names 127.0.0.1 and
    // localhost, so hostname verification stays on.
    ssl: { ca: [ca] },
    sasl: { mechanism: 'scram-sha-512', username, password },
  });
  const topic = `tls-scram-${Date.now()}-${process.pid}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `${topic}-group` });

  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.connect();
    const [written] = await producer.send({
      topic,
      messages: [{ key: 'greeting', value: 'hello over TLS' }],
    });
    console.log(
      `produced as ${username} over SASL_SSL to ${written!.topicName}[${written!.partition}] at ${written!.baseOffset}`,
    );

    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const value = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message.value!.toString());
          },
        })
        .catch(reject);
    });
    console.log(`consumed "${value}"`);
    if (value !== 'hello over TLS') throw new Error(`unexpected value ${value}`);

    // A wrong password fails fast and is not retried.
    const intruder = new Kafka({
      clientId: 'tls-scram-intruder',
      brokers,
      logLevel: logLevel.NOTHING,
      ssl: { ca: [ca] },
      sasl: { mechanism: 'scram-sha-512', username, password: `${password}-wrong` },
    }).admin();
    const refused = await intruder.connect().then(
      () => undefined,
      (error: unknown) => error,
    );
    await intruder.disconnect().catch(() => {});
    if (!(refused instanceof KafkaJSSASLAuthenticationError)) {
      throw new Error(`a wrong password was not refused as expected: ${String(refused)}`);
    }
    console.log(`wrong password refused: ${refused.name} (retriable: ${refused.retriable})`);

    await admin.deleteTopics({ topics: [topic] });
    console.log('tls-scram: OK');
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
