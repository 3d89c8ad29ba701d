/**
 * Producer throughput against a harness broker (or KAFKA_BOOTSTRAP_SERVERS): msgs/s and MB/s
 * for 1M × 100 B and 200k × 1 KB, per codec, idempotent with acks -1 (the defaults).
 *
 *   npx tsx bench/producer/index.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { createProducer } from '../../src/producer/index.js';
import { CompressionTypes } from '../../src/protocol/compression/types.js';
import { startKafka } from '../../src/testing/index.js';

const quick = process.argv.includes('--quick');
const SCENARIOS = [
  { count: quick ? 100_000 : 1_000_000, size: 100 },
  { count: quick ? 20_000 : 200_000, size: 1024 },
];
const CODECS = Object.entries(CompressionTypes);

async function main(): Promise<void> {
  const external = process.env.KAFKA_BOOTSTRAP_SERVERS;
  const harness = external ? undefined : await startKafka({});
  const brokers = external ? external.split(',') : harness!.brokers;
  const kafka = new Kafka({ clientId: 'bench-producer', brokers, logLevel: logLevel.ERROR });
  const producer = createProducer(
    {
      cluster: kafka.cluster({ allowAutoTopicCreation: true }),
      logger: kafka.logger(),
      instrumentation: kafka.instrumentation,
    },
    { lingerMs: 5, batchSize: 64 * 1024 },
  );
  await producer.connect();
  try {
    console.log('scenario            codec    msgs/s      MB/s   seconds');
    for (const { count, size } of SCENARIOS) {
      // Half-random payloads so that codecs have something (but not everything) to squeeze.
      const payload = Buffer.concat([randomBytes(size / 2), Buffer.alloc(size - size / 2, 'a')]);
      for (const [name, codec] of CODECS) {
        const topic = `bench-${size}-${name}-${Date.now()}`;
        await producer.send({ topic, messages: [{ value: 'warm-up' }] });
        const chunk = 1000;
        const started = process.hrtime.bigint();
        const pending: Promise<unknown>[] = [];
        for (let i = 0; i < count; i += chunk) {
          const messages = new Array(chunk);
          for (let j = 0; j < chunk; j++) messages[j] = { value: payload };
          pending.push(producer.send({ topic, messages, compression: codec }));
          // Keep the number of unresolved sends bounded; bufferMemory backpressure does the rest.
          if (pending.length >= 64) await pending.shift();
        }
        await Promise.all(pending);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rate = count / seconds;
        const mb = (count * size) / seconds / (1024 * 1024);
        console.log(
          `${`${count} x ${size} B`.padEnd(20)}${name.padEnd(8)}${rate.toFixed(0).padStart(8)}  ${mb.toFixed(1).padStart(8)}  ${seconds.toFixed(2).padStart(8)}`,
        );
      }
    }
  } finally {
    await producer.disconnect();
    await harness?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
