/**
 * A/B of the producer on one broker: runs bench/ab/produce-child.ts with two copies of the
 * repository alternately (A B, then B A, ...), so both see the same broker and the same machine
 * load, and prints per-run msgs/s and client CPU µs per message, medians and the B÷A ratios.
 *
 *   npx tsx bench/ab/produce.ts --a /tmp/perf-base --b . --rounds 3 [--count 1000000]
 *     [--bootstrap host:port] [--options '{"lingerMs":5}'] [--profile DIR]
 *
 * Records: `--count` distinct, seeded 100-byte JSON-like values with a null key (bench/lib/data.ts),
 * built once into a file before any run; settings: `fair` (batch 256 KiB, linger 5 ms, acks all,
 * idempotent). Without --bootstrap a Kafka broker is started through the test harness and stopped
 * at the end. Every run is gated: the topic's end offsets must grow by exactly `--count`.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { startKafka } from '../../src/testing/index.js';
import { Dataset } from '../lib/data.js';
import { alternate, type ChildRun, loads, runChild, type Side, summarize } from './alternate.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '3' },
    count: { type: 'string', default: '1000000' },
    bootstrap: { type: 'string' },
    options: { type: 'string', default: '{}' },
    'options-a': { type: 'string' },
    'options-b': { type: 'string' },
    profile: { type: 'string' },
  },
});
if (!values.a) throw new Error('--a <repository copy> is required');
const count = Number(values.count);
const rounds = Number(values.rounds);
const size = 100;
const here = import.meta.dirname;
const cluster = values.bootstrap ? undefined : await startKafka({ heapMb: 1024 });
const bootstrap = values.bootstrap ?? cluster!.bootstrap;
const topic = 'ab-produce-100b';
const dataFile = `/tmp/ab-produce-${size}b-${count}.bin`;

/** Creates the topic (6 partitions, as bench/'s produce-100b) and the data file unless present. */
async function prepare(): Promise<void> {
  const kafka = new Kafka({ clientId: 'ab-prepare', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic))
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  if (!existsSync(dataFile)) writeFileSync(dataFile, Dataset.build(0, count, size).bytes);
}

interface Run extends ChildRun {
  count: number;
  measuredMs: number;
}

function runOnce(side: Side, round: number): Run {
  const options = (side === 'a' ? values['options-a'] : values['options-b']) ?? values.options!;
  const args = ['--src', resolve(side === 'a' ? values.a! : values.b!), '--bootstrap', bootstrap];
  args.push('--topic', topic, '--count', String(count), '--size', String(size), '--data', dataFile);
  args.push('--options', options);
  const profile = values.profile ? `${values.profile}/${side}-${round}` : undefined;
  return runChild<Run>(resolve(here, 'produce-child.ts'), args, profile);
}

try {
  await prepare();
  const load0 = loads();
  const runs = alternate(rounds, runOnce, (r) =>
    r.count === count ? undefined : `end offsets grew by ${r.count}`,
  );
  summarize({ a: values.a!, b: values.b! }, runs, load0);
} finally {
  await cluster?.stop();
}
