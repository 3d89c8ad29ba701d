/**
 * Consumer throughput: N records (kcat-written, 6 partitions, lz4) read by one kafkats consumer
 * with eachBatch, timed from run() to the last record.
 *
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 npx tsx bench/consumer/throughput.ts [records] [valueBytes]
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Consumer } from '../../src/consumer/index.js';
import { createLogger, logLevel } from '../../src/logger.js';
import { CreateTopics } from '../../src/protocol/messages/index.js';
import { DirectCluster } from '../../test/helpers/direct-cluster.js';

const run = promisify(execFile);
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092';
const records = Number(process.argv[2] ?? 100_000);
const valueBytes = Number(process.argv[3] ?? 100);
const logger = createLogger({ level: logLevel.NOTHING });
const topic = `bench-consumer-${Date.now()}`;

async function setup(): Promise<void> {
  const c = new DirectCluster({ brokers: [bootstrap], logger });
  await c.connect();
  const meta = await c.metadata([]);
  const node = meta.brokers[0]!.nodeId;
  const version = await c.versionFor(node, 'default', CreateTopics);
  await c.send(
    node,
    'default',
    CreateTopics,
    {
      topics: [{ name: topic, numPartitions: 6, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 10_000,
      validateOnly: false,
    },
    { version },
  );
  await c.disconnect();
  const value = 'x'.repeat(valueBytes);
  const lines = Array.from({ length: records }, (_, i) => `key-${i}:${value}`).join('\n');
  const p = run('kcat', ['-P', '-b', bootstrap, '-t', topic, '-K:', '-z', 'lz4'], { maxBuffer: 1 << 30 });
  p.child.stdin!.end(`${lines}\n`);
  await p;
}

async function main(): Promise<void> {
  await setup();
  const consumer = new Consumer(
    { cluster: new DirectCluster({ brokers: [bootstrap], logger }), logger },
    { groupId: `g-${topic}`, groupProtocol: 'classic', maxWaitTimeInMs: 100 },
  );
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) bytes += m.value?.length ?? 0;
        seen += batch.messages.length;
        if (seen >= records) resolve();
      },
    });
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    JSON.stringify({
      records,
      valueBytes,
      seconds: Number(seconds.toFixed(3)),
      recordsPerSecond: Math.round(records / seconds),
      mbPerSecond: Number((bytes / seconds / 1e6).toFixed(2)),
    }),
  );
  await consumer.disconnect();
}

void main();
