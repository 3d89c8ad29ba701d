/**
 * The NestJS scenario of test/integration/ecosystem/ (request/reply through ClientKafka, events
 * with latest-offset and fromBeginning subscriptions) run many times in a row, each run a fresh
 * NestJS process with fresh topics and groups, against one broker:
 *
 *   npm run test:nestjs-loop                  20 runs on Kafka 4.4 (default group protocol)
 *   npm run test:nestjs-loop -- --runs 5
 *   KAFKA_VERSION=3.9 npm run test:nestjs-loop
 *   KAFKA_BOOTSTRAP_SERVERS=host:port npm run test:nestjs-loop   (a broker already running)
 *   npm run test:nestjs-loop -- --client kafkajs   the same with KafkaJS 2.2.4 installed instead (baseline)
 *   DEBUG=1 VERBOSE=1 npm run test:nestjs-loop   a failed run's output, with DEBUG logs and the app's trace
 *
 * Prints one line per run, then `runs: N, passed: P` and the time to first reply (from the
 * client's connect() to the first reply, and from the app's start). Exits 1 unless every run passed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type KafkaCluster, startKafka } from '../src/testing/index.js';
import { nestProblems, runNestApp } from '../test/integration/ecosystem/nestjs-scenario.js';
import { scratchProject } from '../test/integration/ecosystem/scratch-project.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, client: { type: 'string', default: 'kafkats' } },
});
if (values.client !== 'kafkats' && values.client !== 'kafkajs') {
  console.error(`--client must be kafkats or kafkajs, got ${values.client}`);
  process.exit(2);
}
const installAs = values.client === 'kafkajs' ? 'kafkajs-2.2.4' : 'kafkats';
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got ${values.runs}`);
  process.exit(2);
}

function stats(label: string, samples: number[]): string {
  if (samples.length === 0) return `${label}: no sample`;
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${label}: median ${median} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms`;
}

const work = mkdtempSync(join(tmpdir(), 'kafkats-nestjs-loop-'));
let cluster: KafkaCluster | undefined;
let exitCode = 1;
try {
  let brokers: string[];
  if (process.env.KAFKA_BOOTSTRAP_SERVERS) {
    brokers = process.env.KAFKA_BOOTSTRAP_SERVERS.split(',');
  } else {
    cluster = await startKafka({ version: process.env.KAFKA_VERSION || undefined });
    brokers = cluster.brokers;
  }
  console.log(
    `Kafka ${cluster?.version ?? '(external)'} at ${brokers.join(',')}; building the scratch project (${installAs} as kafkajs)`,
  );
  const project = scratchProject(join(work, 'project'), installAs);
  let passed = 0;
  const firstReply: number[] = [];
  const startToFirstReply: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const started = Date.now();
    const outcome = await runNestApp(project.dir, brokers);
    const problems = nestProblems(outcome);
    const r = outcome.result;
    if (r?.firstReplyMs !== undefined) firstReply.push(r.firstReplyMs);
    if (r?.startToFirstReplyMs !== undefined) startToFirstReply.push(r.startToFirstReplyMs);
    if (problems.length === 0) passed++;
    const took = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `run ${run}/${runs}: ${problems.length === 0 ? 'ok' : 'FAIL'} in ${took} s, first reply ${r?.firstReplyMs ?? '-'} ms${problems.length ? `\n  ${problems.join('\n  ')}` : ''}`,
    );
    if (problems.length > 0 && process.env.VERBOSE) console.log(outcome.stdout, outcome.stderr);
  }
  console.log(`\nruns: ${runs}, passed: ${passed}`);
  console.log(stats('time to first reply after ClientKafka.connect() (10 events emitted first)', firstReply));
  console.log(
    stats('time to first reply from app start (topics created, both servers listening)', startToFirstReply),
  );
  exitCode = passed === runs ? 0 : 1;
} catch (error) {
  console.error(error);
} finally {
  await cluster?.stop().catch((error: unknown) => console.error('stopping Kafka failed:', error));
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
