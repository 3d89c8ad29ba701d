/**
 * A/B of the consumer on one broker: runs bench/ab/child.ts with two copies of the repository
 * alternately (A B, then B A, ...), so both see the same broker and the same machine load, and
 * prints per-run figures, medians and the B÷A ratio of the medians.
 *
 *   npx tsx bench/ab/consume.ts --a /tmp/perf-base --b . --rounds 3 [--count 1000000] [--batch]
 *     [--bootstrap host:port] [--options '{"maxWaitTimeInMs":500}'] [--profile DIR]
 *
 * Without --bootstrap a Kafka broker is started through the test harness and stopped at the end.
 * The topic (6 partitions, `--count` × 100 B records with a null key, filled once by the
 * producer of `--b`) is kept between invocations on the same broker.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { startKafka } from '../../src/testing/index.js';
import { alternate, type ChildRun, loads, runChild, type Side, summarize } from './alternate.js';

const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '3' },
    count: { type: 'string', default: '1000000' },
    batch: { type: 'boolean', default: false },
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
const here = import.meta.dirname;
const cluster = values.bootstrap ? undefined : await startKafka({ heapMb: 1024 });
const bootstrap = values.bootstrap ?? cluster!.bootstrap;
const topic = `ab-consume-100b-${count}`;

/** Creates and fills the topic unless it holds `count` records already. */
async function prepare(): Promise<void> {
  const kafka = new Kafka({ clientId: 'ab-prepare', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  if (existing.includes(topic)) {
    const offsets = await admin.fetchTopicOffsets(topic);
    const total = offsets.reduce((n, o) => n + Number(o.high), 0);
    if (total === count) {
      await admin.disconnect();
      return;
    }
    await admin.deleteTopics({ topics: [topic] });
    await new Promise((r) => setTimeout(r, 2000));
  }
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  // As bench/: half random printable characters, half one repeated letter; one value for all.
  const half = Array.from({ length: 50 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join('');
  const value = Buffer.from(half + 'x'.repeat(50));
  const producer = kafka.producer();
  await producer.connect();
  const window: Promise<unknown>[] = [];
  for (let sent = 0; sent < count; sent += 1000) {
    const n = Math.min(1000, count - sent);
    window.push(producer.send({ topic, messages: Array.from({ length: n }, () => ({ value })) }));
    if (window.length >= 64) await window.shift();
  }
  await Promise.all(window);
  await producer.disconnect();
}

interface Run extends ChildRun {
  count: number;
  duplicates: number;
  measuredMs: number;
  startupMs: number;
}

function runOnce(side: Side, round: number): Run {
  const options = (side === 'a' ? values['options-a'] : values['options-b']) ?? values.options!;
  const args = ['--src', resolve(side === 'a' ? values.a! : values.b!), '--bootstrap', bootstrap];
  args.push('--topic', topic, '--count', String(count), '--options', options);
  if (values.batch) args.push('--batch');
  const profile = values.profile ? `${values.profile}/${side}-${round}` : undefined;
  return runChild<Run>(resolve(here, 'child.ts'), args, profile);
}

try {
  await prepare();
  const load0 = loads();
  const runs = alternate(
    rounds,
    runOnce,
    (r) =>
      r.count === count && r.duplicates === 0 ? undefined : `${r.count} records, duplicates ${r.duplicates}`,
    (r) => `, start-up ${r.startupMs} ms`,
  );
  summarize({ a: values.a!, b: values.b! }, runs, load0);
} finally {
  await cluster?.stop();
}
