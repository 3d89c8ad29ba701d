/**
 * A KafkaJS transactions program: consume-transform-produce with a transactional producer
 * (idempotent, maxInFlightRequests 1, as KafkaJS's documentation configures it), send +
 * sendOffsets + commit, then a transaction that is aborted. Only the import line differs from a
 * KafkaJS program.
 */
import { Kafka, logLevel } from '../../../../src/index.js'; // the only line changed from KafkaJS

export interface TransactionsInput {
  brokers: string[];
  inputTopic: string;
  outputTopic: string;
  groupId: string;
  transactionalId: string;
}

export async function run({ brokers, inputTopic, outputTopic, groupId, transactionalId }: TransactionsInput) {
  const kafka = new Kafka({ clientId: 'my-app', brokers, logLevel: logLevel.ERROR });

  const producer = kafka.producer({ transactionalId, maxInFlightRequests: 1, idempotent: true });
  await producer.connect();

  // Inputs, written inside a first transaction.
  const setup = await producer.transaction();
  await setup.send({ topic: inputTopic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
  await setup.commit();

  // Consume the inputs, write them transformed, and commit the consumer's offsets with them.
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [inputTopic], fromBeginning: true });
  const transformed = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no batch with the three inputs')), 60000);
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const values = batch.messages.map((m) => (m.value?.toString() ?? '').toUpperCase());
          const transaction = await producer.transaction();
          try {
            await transaction.send({ topic: outputTopic, messages: values.map((value) => ({ value })) });
            await transaction.sendOffsets({
              consumerGroupId: groupId,
              topics: [
                {
                  topic: batch.topic,
                  partitions: [
                    { partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
                  ],
                },
              ],
            });
            await transaction.commit();
          } catch (e) {
            await transaction.abort();
            throw e;
          }
          if (values.length >= 3) {
            clearTimeout(timer);
            resolve(values);
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();

  // A transaction that is aborted: its messages must never be read.
  const aborted = await producer.transaction();
  await aborted.send({ topic: outputTopic, messages: [{ value: 'NEVER' }] });
  await aborted.abort();

  // One more committed message after the aborted one.
  const last = await producer.transaction();
  await last.send({ topic: outputTopic, messages: [{ value: 'DONE' }] });
  await last.commit();
  await producer.disconnect();

  // Read the output topic as a read-committed consumer (KafkaJS's default).
  const reader = kafka.consumer({ groupId: `${groupId}-reader` });
  await reader.connect();
  await reader.subscribe({ topics: [outputTopic], fromBeginning: true });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read only ${output.join(',')}`)), 60000);
    reader
      .run({
        eachMessage: async ({ message }) => {
          output.push(message.value?.toString() ?? '');
          if (message.value?.toString() === 'DONE') {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await reader.disconnect();

  const admin = kafka.admin();
  await admin.connect();
  const committed = await admin.fetchOffsets({ groupId, topics: [inputTopic] });
  await admin.disconnect();
  return { transformed, output, committed };
}
