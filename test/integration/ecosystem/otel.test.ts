/**
 * OpenTelemetry's KafkaJS instrumentation (`@opentelemetry/instrumentation-kafkajs`, unmodified,
 * default options) over kafkats installed as `kafkajs`, against the same program over KafkaJS
 * 2.2.4: the same spans, the same parents and links, the same attributes.
 *
 * The instrumentation only patches a `kafkajs` whose package.json version is in `>=0.3.0 <3`,
 * silently; kafkats' release numbering keeps inside it (docs/ecosystem.md).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { describeOutcome, runApp } from './run-app.js';
import { type ScratchProject, scratchProject } from './scratch-project.js';

// SpanKind values of @opentelemetry/api.
const CLIENT = 2;
const PRODUCER = 3;
const CONSUMER = 4;

interface Span {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, string | number | boolean>;
  links: { traceId: string; spanId: string }[];
  status: { code: number };
}

interface TraceResult {
  spans: Span[];
  seenA: string[];
  seenB: string[];
}

const KEY = 'messaging.kafka.message.key';
const CLUSTER_ID = 'messaging.kafka.cluster.id';

async function trace(
  cwd: string,
  label: string,
  format: 'cjs' | 'esm' = 'cjs',
): Promise<{ result: TraceResult; a: string; b: string }> {
  const a = uniqueTopicName(`otel-${label}-a`);
  const b = uniqueTopicName(`otel-${label}-b`);
  const env = { BROKERS: testCluster().brokers.join(','), TOPIC_A: a, TOPIC_B: b, GROUP_PREFIX: a };
  // ESM: the set-up OpenTelemetry documents for ESM services, `--import` of a file registering
  // the instrumentation's loader hook, and `import { Kafka } from 'kafkajs'` in the app.
  const outcome =
    format === 'cjs'
      ? await runApp<TraceResult>(cwd, 'otel-trace.cjs', env)
      : await runApp<TraceResult>(cwd, 'otel-trace.mjs', env, 120_000, [
          '--import',
          join(cwd, 'otel-register.mjs'),
        ]);
  assert.equal(outcome.code, 0, `${label}: the traced app failed\n${describeOutcome(outcome)}`);
  assert.ok(outcome.result, `${label}: no RESULT line\n${describeOutcome(outcome)}`);
  return { result: outcome.result, a, b };
}

/**
 * One line per span with what must match between the two clients: kind, name and attributes
 * (topic names replaced, offset values dropped since they differ between runs, the cluster id
 * left out: KafkaJS's spans lack it until its first metadata refresh; tested on its own)
 * and how the span relates to the others (its parent's and its link's kind and key).
 */
function shape(run: { result: TraceResult; a: string; b: string }): string[] {
  const byId = new Map(run.result.spans.map((s) => [s.spanId, s]));
  const topics = (text: string) => text.replaceAll(run.a, '<A>').replaceAll(run.b, '<B>');
  const ref = (id: string | undefined) => {
    if (id === undefined) return 'none';
    const span = byId.get(id);
    return span ? `${span.kind}:${topics(span.name)}:${span.attributes[KEY] ?? ''}` : 'unknown';
  };
  return run.result.spans
    .map((s) => {
      const attributes = Object.entries(s.attributes)
        .filter(([k]) => k !== CLUSTER_ID)
        .map(([k, v]) => (k === 'messaging.kafka.offset' ? k : `${k}=${topics(String(v))}`))
        .sort()
        .join(',');
      const links = s.links.map((l) => ref(l.spanId)).join('|');
      return `${s.kind} ${topics(s.name)} [${attributes}] parent=${ref(s.parentSpanId)} links=${links} status=${s.status.code}`;
    })
    .sort();
}

describe('OpenTelemetry instrumentation-kafkajs over kafkats installed as kafkajs', () => {
  let project: ScratchProject;
  let kafkats: Awaited<ReturnType<typeof trace>>;

  before(async () => {
    project = scratchProject();
    kafkats = await trace(project.dir, 'kafkats');
  });

  test('the installed kafkats passes the version gate (>=0.3.0 <3)', () => {
    const [major, minor] = project.kafkatsVersion.split('.').map(Number) as [number, number];
    assert.ok(
      (major > 0 || minor >= 3) && major < 3,
      `kafkats ${project.kafkatsVersion} is outside >=0.3.0 <3: the instrumentation would skip it`,
    );
    assert.ok(kafkats.result.spans.length > 0, 'the instrumentation produced spans');
  });

  test('one producer span per message, for send() and for sendBatch()', () => {
    const producers = kafkats.result.spans.filter((s) => s.kind === PRODUCER);
    assert.deepEqual(
      producers.map((s) => `${s.name} ${s.attributes[KEY]}`).sort(),
      [
        `send ${kafkats.a} k1`,
        `send ${kafkats.a} k2`,
        `send ${kafkats.a} k3`,
        `send ${kafkats.b} k4`,
        `send ${kafkats.b} k5`,
      ].sort(),
    );
  });

  test('eachMessage: one process span per message, child of the producer span of that message', () => {
    assert.deepEqual([...kafkats.result.seenA].sort(), ['a1', 'a2', 'a3']);
    const producers = new Map(
      kafkats.result.spans.filter((s) => s.kind === PRODUCER).map((s) => [s.attributes[KEY], s]),
    );
    const process = kafkats.result.spans.filter(
      (s) => s.kind === CONSUMER && s.name === `process ${kafkats.a}`,
    );
    assert.equal(process.length, 3);
    for (const span of process) {
      const producer = producers.get(span.attributes[KEY]);
      assert.ok(producer, `a producer span for key ${span.attributes[KEY]}`);
      assert.equal(
        span.traceId,
        producer.traceId,
        'same trace as the producer span (context in the headers)',
      );
      assert.equal(span.parentSpanId, producer.spanId, 'the producer span is the parent');
    }
  });

  test('eachBatch: a receive span per batch, process spans under it linked to their producer spans', () => {
    assert.deepEqual([...kafkats.result.seenB].sort(), ['b1', 'b2']);
    const producers = new Map(
      kafkats.result.spans.filter((s) => s.kind === PRODUCER).map((s) => [s.spanId, s]),
    );
    const polls = kafkats.result.spans.filter((s) => s.kind === CLIENT && s.name === `poll ${kafkats.b}`);
    assert.ok(polls.length >= 1);
    assert.equal(
      polls.reduce((n, s) => n + Number(s.attributes['messaging.batch.message_count']), 0),
      2,
    );
    const process = kafkats.result.spans.filter(
      (s) => s.kind === CONSUMER && s.name === `process ${kafkats.b}`,
    );
    assert.equal(process.length, 2);
    for (const span of process) {
      assert.ok(
        polls.some((p) => p.spanId === span.parentSpanId),
        'child of a receive span',
      );
      assert.equal(span.links.length, 1);
      assert.equal(producers.get(span.links[0]!.spanId)?.attributes[KEY], span.attributes[KEY]);
    }
  });

  test('every span carries the cluster id (messaging.kafka.cluster.id)', () => {
    // The instrumentation reads it from the cluster handed to KafkaJS's internal factories
    // (kafkajs/src/producer/index.js, kafkajs/src/consumer/index.js), which kafkats' CommonJS
    // build calls the same way (src/compat/kafkajs-factories.ts).
    const { clusterId } = testCluster();
    assert.ok(clusterId, 'the test cluster reports its id');
    for (const kind of [PRODUCER, CONSUMER, CLIENT])
      assert.ok(
        kafkats.result.spans.some((s) => s.kind === kind),
        `spans of kind ${kind}`,
      );
    for (const span of kafkats.result.spans)
      assert.equal(span.attributes[CLUSTER_ID], clusterId, `${span.name}: ${CLUSTER_ID}`);
  });

  test('under ESM (import, with the instrumentation hook through --import): the same spans, each with the cluster id', async () => {
    const esm = await trace(project.dir, 'kafkats-esm', 'esm');
    // eachBatch may split topic B's two messages over one or two batches in either run.
    const withoutPolls = (lines: string[]) => lines.filter((l) => !l.startsWith(`${CLIENT} poll`));
    assert.deepEqual(
      withoutPolls(shape(esm)),
      withoutPolls(shape(kafkats)),
      'the same spans as under CommonJS',
    );
    const { clusterId } = testCluster();
    assert.ok(esm.result.spans.length > 0);
    for (const span of esm.result.spans)
      assert.equal(span.attributes[CLUSTER_ID], clusterId, `${span.name}: ${CLUSTER_ID}`);
  });

  test('the same spans as over KafkaJS 2.2.4', async () => {
    const real = await trace(project.realDir, 'kafkajs');
    // eachBatch may split topic B's two messages over one or two batches in either client.
    const withoutPolls = (lines: string[]) => lines.filter((l) => !l.startsWith(`${CLIENT} poll`));
    assert.deepEqual(withoutPolls(shape(kafkats)), withoutPolls(shape(real)));
    // Over KafkaJS, the spans after its first metadata refresh carry the cluster id.
    assert.ok(real.result.spans.some((s) => s.attributes[CLUSTER_ID] === testCluster().clusterId));
  });
});
