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
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { startKafka } from '../../src/testing/index.js';

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

interface Run {
  count: number;
  duplicates: number;
  msgsPerSec: number;
  measuredMs: number;
  startupMs: number;
  cpuUsPerMsg: number;
  cpuSec: number;
  rssMb: number;
}

function runOnce(side: 'a' | 'b', round: number): Run {
  const src = resolve(side === 'a' ? values.a! : values.b!);
  const options = (side === 'a' ? values['options-a'] : values['options-b']) ?? values.options!;
  const nodeArgs = ['--import', 'tsx'];
  if (values.profile)
    nodeArgs.push(
      '--cpu-prof',
      `--cpu-prof-dir=${values.profile}`,
      `--cpu-prof-name=${side}-${round}.cpuprofile`,
    );
  const args = [
    ...nodeArgs,
    resolve(here, 'child.ts'),
    '--src',
    src,
    '--bootstrap',
    bootstrap,
    '--topic',
    topic,
    '--count',
    String(count),
    '--options',
    options,
  ];
  if (values.batch) args.push('--batch');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: resolve(here, '../..') });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`child ${side} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as Run;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

try {
  await prepare();
  const load0 = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const runs: Record<'a' | 'b', Run[]> = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    const order: Array<'a' | 'b'> = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      const r = runOnce(side, i);
      runs[side].push(r);
      const gate =
        r.count === count && r.duplicates === 0 ? 'verified' : `FAILED (duplicates ${r.duplicates})`;
      console.log(
        `round ${i + 1} ${side}: ${r.msgsPerSec.toLocaleString('en-US')} msgs/s, ${r.cpuUsPerMsg} µs CPU/msg, ` +
          `${r.cpuSec} s CPU in all, ${r.rssMb} MB, start-up ${r.startupMs} ms, ${gate}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
  const load1 = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const summary = (side: 'a' | 'b') => ({
    msgsPerSec: median(runs[side].map((r) => r.msgsPerSec)),
    cpuUsPerMsg: median(runs[side].map((r) => r.cpuUsPerMsg)),
    rssMb: Math.max(...runs[side].map((r) => r.rssMb)),
  });
  const a = summary('a');
  const b = summary('b');
  console.log(`load average before: ${load0}; after: ${load1}`);
  console.log(
    `A ${values.a}: median ${a.msgsPerSec.toLocaleString('en-US')} msgs/s, ${a.cpuUsPerMsg} µs CPU/msg, peak RSS ${a.rssMb} MB`,
  );
  console.log(
    `B ${values.b}: median ${b.msgsPerSec.toLocaleString('en-US')} msgs/s, ${b.cpuUsPerMsg} µs CPU/msg, peak RSS ${b.rssMb} MB`,
  );
  console.log(
    `B/A: throughput ${(b.msgsPerSec / a.msgsPerSec).toFixed(2)}x, CPU per message ${(b.cpuUsPerMsg / a.cpuUsPerMsg).toFixed(2)}x`,
  );
} finally {
  await cluster?.stop();
}
