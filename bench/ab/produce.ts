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
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { startKafka } from '../../src/testing/index.js';
import { Dataset } from '../lib/data.js';

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

interface Run {
  count: number;
  msgsPerSec: number;
  measuredMs: number;
  cpuUsPerMsg: number;
  cpuSec: number;
  rssMb: number;
}

function runOnce(side: 'a' | 'b', round: number): Run {
  const src = resolve(side === 'a' ? values.a! : values.b!);
  const options = (side === 'a' ? values['options-a'] : values['options-b']) ?? values.options!;
  const nodeArgs = ['--import', 'tsx'];
  if (values.profile)
    // One directory per run with Node's default names: tsx's loader thread writes a profile too,
    // and a fixed --cpu-prof-name would let it overwrite the main thread's.
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${values.profile}/${side}-${round}`);
  const args = [
    ...nodeArgs,
    resolve(here, 'produce-child.ts'),
    ...['--src', src, '--bootstrap', bootstrap, '--topic', topic],
    ...['--count', String(count), '--size', String(size), '--data', dataFile, '--options', options],
  ];
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
const loads = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

try {
  await prepare();
  const load0 = loads();
  const runs: Record<'a' | 'b', Run[]> = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    const order: Array<'a' | 'b'> = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      const r = runOnce(side, i);
      const gate = r.count === count ? 'verified' : `FAILED (end offsets grew by ${r.count})`;
      // A run that fails its gate is reported, never counted in the medians.
      if (r.count === count) runs[side].push(r);
      console.log(
        `round ${i + 1} ${side}: ${r.msgsPerSec.toLocaleString('en-US')} msgs/s, ${r.cpuUsPerMsg} µs CPU/msg, ` +
          `${r.cpuSec} s CPU, ${r.rssMb} MB, ${gate}; load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
  const load1 = loads();
  const summary = (side: 'a' | 'b') => ({
    msgsPerSec: median(runs[side].map((r) => r.msgsPerSec)),
    cpuUsPerMsg: median(runs[side].map((r) => r.cpuUsPerMsg)),
    rssMb: Math.max(...runs[side].map((r) => r.rssMb)),
  });
  const a = summary('a');
  const b = summary('b');
  console.log(`load average before: ${load0}; after: ${load1}`);
  for (const [name, s, n] of [
    [`A ${values.a}`, a, runs.a.length],
    [`B ${values.b}`, b, runs.b.length],
  ] as const)
    console.log(
      `${name}: median ${s.msgsPerSec.toLocaleString('en-US')} msgs/s, ${s.cpuUsPerMsg} µs CPU/msg, ` +
        `peak RSS ${s.rssMb} MB (${n} verified runs)`,
    );
  console.log(
    `B/A: throughput ${(b.msgsPerSec / a.msgsPerSec).toFixed(2)}x, CPU per message ${(b.cpuUsPerMsg / a.cpuUsPerMsg).toFixed(2)}x`,
  );
} finally {
  await cluster?.stop();
}
