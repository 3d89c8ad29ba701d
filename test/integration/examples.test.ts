/**
 * Every example in examples/ runs as a user would run it (`npx tsx examples/<name>/index.ts`, here
 * `node --import tsx` to skip npx), as a child process against the shared broker, and must exit 0
 * with its success line. KAFKA_BOOTSTRAP_SERVERS points them at the broker; tls-scram gets the
 * SASL_SSL listener, the CA path and a SCRAM user the way kafkats/testing's attachKafka() reads them.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { kafkaVersion, testCluster } from '../helpers/cluster.js';

const root = resolve(import.meta.dirname, '../..');

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runExample(name: string, env: Record<string, string>, timeoutMs = 120_000): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', name, 'index.ts')], {
      cwd: root,
      // Only what the example needs: no KAFKATS_TEST_CLUSTER, so it behaves as outside the suite.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

function assertSucceeded(name: string, outcome: Outcome, successLine: string | RegExp): void {
  const output = `--- stdout\n${outcome.stdout}\n--- stderr\n${outcome.stderr}`;
  assert.equal(outcome.code, 0, `${name} exited with ${outcome.signal ?? outcome.code}\n${output}`);
  if (typeof successLine === 'string')
    assert.ok(outcome.stdout.includes(successLine), `${name}: no "${successLine}"\n${output}`);
  else assert.match(outcome.stdout, successLine, `${name}: no success line\n${output}`);
}

describe('examples', () => {
  const cluster = testCluster();
  const plain = { KAFKA_BOOTSTRAP_SERVERS: cluster.bootstrap };
  const [major, minor] = kafkaVersion();
  const unknownVersion = cluster.version === 'unknown';
  const kafka4 = unknownVersion || major >= 4;
  const shareGroups = unknownVersion || major > 4 || (major === 4 && minor >= 2);

  test('quickstart', async () => {
    assertSucceeded('quickstart', await runExample('quickstart', plain), 'quickstart: OK');
  });

  test('share-consumer', { skip: !shareGroups && 'share groups need Kafka 4.2+' }, async () => {
    assertSucceeded('share-consumer', await runExample('share-consumer', plain), '20 of 20 jobs handled');
  });

  test('microservice: consume → process → produce, graceful shutdown on SIGTERM', async () => {
    const outcome = await runExample('microservice', plain);
    assertSucceeded('microservice', outcome, 'microservice: OK');
    assert.match(outcome.stdout, /SIGTERM: stopping after 20 orders/);
    assert.match(outcome.stdout, /20 results written, 20 orders committed/);
  });

  test('exactly-once: transactions with sendOffsets, one abort, no duplicates', async () => {
    const outcome = await runExample('exactly-once', plain);
    assertSucceeded('exactly-once', outcome, 'exactly-once: OK');
    assert.match(outcome.stdout, /ledger: 30 payments, 0 duplicated; group offsets cover 30/);
  });

  test('testing-with-kafkats: the user service suite and the Vitest/Jest snippets of docs/testing.md pass', async () => {
    const outcome = await runExample('testing-with-kafkats', plain);
    assertSucceeded('testing-with-kafkats', outcome, 'testing-with-kafkats: OK');
    // 3 service tests, 2 from the Vitest snippets (per file, shared broker), 1 from the Jest snippet.
    assert.match(outcome.stdout, /pass 6\b/);
    assert.match(outcome.stdout, /fail 0\b/);
    for (const name of ['an order is published', 'the shared broker takes an order'])
      assert.ok(outcome.stdout.includes(name), `no "${name}" in the run\n${outcome.stdout}`);
  });

  test('kip848-consumer', { skip: !kafka4 && 'the KIP-848 protocol needs Kafka 4.x' }, async () => {
    const outcome = await runExample('kip848-consumer', plain);
    assertSucceeded('kip848-consumer', outcome, 'kip848-consumer: OK');
    assert.match(outcome.stdout, /2 members/);
  });

  test('opentelemetry: send and process spans with messaging attributes', async () => {
    // OTEL_EXAMPLE_CONSOLE=1: the console tracer even if @opentelemetry/api is ever installed here.
    const outcome = await runExample('opentelemetry', { ...plain, OTEL_EXAMPLE_CONSOLE: '1' });
    assertSucceeded('opentelemetry', outcome, /opentelemetry: OK \(\d+ spans printed\)/);
    const spans = outcome.stdout
      .split('\n')
      .filter((line) => line.startsWith('[span] '))
      .map((line) => {
        const match = /^\[span\] (.+?) kind=(\d) [\d.]+ ms (.*?) (\{.*\})$/.exec(line);
        assert.ok(match, `a span line that does not parse: ${line}`);
        const [operation = '', destination = ''] = match[1]!.split(' ');
        return {
          operation,
          destination,
          kind: Number(match[2]),
          status: match[3]!,
          attributes: JSON.parse(match[4]!) as Record<string, string | number | boolean>,
        };
      });
    assert.match(outcome.stdout, /handled order-1 at offset 0/);
    const send = spans.find((s) => s.operation === 'send');
    assert.ok(send, `no send span\n${outcome.stdout}`);
    const topic = send.destination;
    assert.match(topic, /^otel-example-\d+$/);
    assert.equal(send.kind, 3, 'send is a PRODUCER span');
    assert.equal(send.status, 'ok');
    assert.equal(send.attributes['messaging.system'], 'kafka');
    assert.equal(send.attributes['messaging.operation.name'], 'send');
    assert.equal(send.attributes['messaging.destination.name'], topic);
    assert.equal(send.attributes['messaging.operation.type'], 'send');
    // Known only once the send settled, and added before the span ended.
    assert.equal(send.attributes['messaging.destination.partition.id'], '0');

    const handled = spans.find((s) => s.operation === 'process');
    assert.ok(handled, `no process span\n${outcome.stdout}`);
    assert.equal(handled.kind, 4, 'process is a CONSUMER span');
    assert.equal(handled.destination, topic);
    assert.equal(handled.attributes['messaging.destination.name'], topic);
    assert.equal(handled.attributes['messaging.destination.partition.id'], '0');
    assert.equal(handled.attributes['messaging.consumer.group.name'], `${topic}-group`);
    assert.equal(handled.attributes['messaging.kafka.message.key'], 'order-1');
    assert.equal(handled.attributes['messaging.kafka.offset'], 0);
  });

  const saslSsl = cluster.listeners.saslSsl;
  const caPath = cluster.tls.caPath;
  const scramUser = cluster.users.find((u) => u.mechanisms.includes('SCRAM-SHA-512'));
  test('tls-scram: TLS + SCRAM-SHA-512 on the SASL_SSL listener', {
    skip:
      (saslSsl.length === 0 || !caPath || !scramUser) &&
      'the cluster has no SASL_SSL listener, CA or SCRAM user',
  }, async () => {
    const outcome = await runExample('tls-scram', {
      ...plain,
      KAFKA_SASL_SSL: saslSsl.join(','),
      KAFKA_TLS_CA: caPath!,
      KAFKA_SASL_USERNAME: scramUser!.username,
      KAFKA_SASL_PASSWORD: scramUser!.password,
    });
    assertSucceeded('tls-scram', outcome, 'tls-scram: OK');
    assert.match(outcome.stdout, /wrong password refused: KafkaJSSASLAuthenticationError/);
  });
});
