/**
 * Exactly-once consume-transform-produce: read payments, write one ledger entry per payment, and
 * commit the consumer's offsets in the same transaction as the entries (sendOffsets). A failure in
 * the middle aborts the transaction: neither the entries nor the offsets become visible, the batch
 * is delivered again, and the ledger still ends with each payment exactly once.
 *
 * Uses the cluster in KAFKA_BOOTSTRAP_SERVERS when it is set; otherwise starts a local broker with
 * kafkats/testing and stops it at the end.
 *
 *   npx tsx examples/exactly-once/index.ts
 */
import { Kafka, logLevel } from '../../src/index.js';
import { useKafka } from '../../src/testing/index.js';

const PAYMENTS = 30;

async function main(): Promise<void> {
  if (!process.env.KAFKA_BOOTSTRAP_SERVERS)
    console.log('KAFKA_BOOTSTRAP_SERVERS is not set: starting a local Kafka broker…');
  const cluster = await useKafka();
  const kafka = new Kafka({ clientId: 'ledger', brokers: cluster.brokers, logLevel: logLevel.WARN });
  const suffix = `${Date.now()}-${process.pid}`;
  const paymentsTopic = `payments-${suffix}`;
  const ledgerTopic = `ledger-${suffix}`;
  const groupId = `ledger-writer-${suffix}`;

  const admin = kafka.admin();
  const source = kafka.producer();
  // One transactional id per input partition set that this instance owns; a restarted instance
  // with the same id fences the old one.
  const producer = kafka.producer({ transactionalId: `ledger-writer-${suffix}` });
  const consumer = kafka.consumer({ groupId });
  const auditor = kafka.consumer({ groupId: `${groupId}-audit` }); // read_committed, the default

  try {
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: paymentsTopic, numPartitions: 2 },
        { topic: ledgerTopic, numPartitions: 2 },
      ],
    });

    await source.connect();
    await source.send({
      topic: paymentsTopic,
      messages: Array.from({ length: PAYMENTS }, (_, i) => ({
        key: `account-${i % 5}`,
        value: JSON.stringify({ id: `p${i}`, cents: 100 + i }),
      })),
    });

    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [paymentsTopic], fromBeginning: true });

    let failedOnce = false;
    let aborted = 0;
    let committed = 0;
    await consumer.run({
      autoCommit: false, // the transaction commits the offsets
      eachBatch: async ({ batch }) => {
        const transaction = await producer.transaction();
        try {
          for (const message of batch.messages) {
            const payment = JSON.parse(message.value!.toString()) as { id: string; cents: number };
            await transaction.send({
              topic: ledgerTopic,
              messages: [
                { key: message.key, value: JSON.stringify({ payment: payment.id, debit: payment.cents }) },
              ],
            });
            if (!failedOnce && message === batch.messages[Math.floor(batch.messages.length / 2)]) {
              failedOnce = true;
              throw new Error('simulated crash in the middle of a batch');
            }
          }
          await transaction.sendOffsets({
            consumerGroupId: groupId,
            topics: [
              {
                topic: batch.topic,
                partitions: [{ partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }],
              },
            ],
          });
          await transaction.commit();
          committed += batch.messages.length;
        } catch (error) {
          await transaction.abort();
          aborted++;
          console.log(
            `aborted a transaction (${(error as Error).message}); the batch will be delivered again`,
          );
          throw error; // the consumer rewinds and retries the batch
        }
      },
    });

    // Read the ledger as a read-committed consumer: every payment exactly once, nothing aborted.
    await auditor.connect();
    await auditor.subscribe({ topics: [ledgerTopic], fromBeginning: true });
    const seen = new Map<string, number>();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`ledger has ${seen.size} of ${PAYMENTS} payments`)),
        30_000,
      );
      auditor
        .run({
          eachMessage: async ({ message }) => {
            const entry = JSON.parse(message.value!.toString()) as { payment: string };
            seen.set(entry.payment, (seen.get(entry.payment) ?? 0) + 1);
            if (seen.size === PAYMENTS) {
              clearTimeout(timer);
              // Give a duplicate, if there were one, a moment to show up.
              setTimeout(resolve, 500);
            }
          },
        })
        .catch(reject);
    });
    const duplicates = [...seen.values()].filter((n) => n > 1).length;
    const offsets = await admin.fetchOffsets({ groupId, topics: [paymentsTopic] });
    const consumed = offsets[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    console.log(
      `${committed} payments committed in transactions, ${aborted} aborted; ledger: ${seen.size} payments, ` +
        `${duplicates} duplicated; group offsets cover ${consumed}`,
    );
    if (aborted < 1 || seen.size !== PAYMENTS || duplicates !== 0 || consumed !== PAYMENTS) {
      throw new Error('the ledger is not exactly-once');
    }
    await admin.deleteTopics({ topics: [paymentsTopic, ledgerTopic] });
    console.log('exactly-once: OK');
  } finally {
    await auditor.disconnect().catch(() => {});
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await source.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
