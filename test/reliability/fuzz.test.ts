/**
 * Response fuzzing: the proxy corrupts one broker answer per case (truncation, bit flips, wrong
 * sizes, wrong correlation ids, garbage after a valid frame, a duplicated or swallowed answer),
 * and a client call runs against it. Every case must end within its deadline, either with a
 * result or with a typed error (a KafkaJSError subclass); the process must not crash (no
 * uncaught exception, no unhandled rejection); a clean call right after must work (the
 * connection was reset or is still sane); and the heap must not grow.
 *
 * Seeded: FUZZ_SEED=<n> replays a run, FUZZ_CASES=<n> changes its length (default 200).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Admin } from '../../src/admin/index.js';
import { KafkaJSError } from '../../src/errors/base.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import { createTopic } from './helpers.js';
import { ProxyGroup } from './proxy.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CASES = Number(process.env.FUZZ_CASES ?? 200);
const CASE_DEADLINE_MS = 8_000;
const REQUEST_TIMEOUT = 600;

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MUTATIONS = [
  'truncate',
  'cut-stream',
  'bit-flip',
  'size-larger',
  'size-smaller',
  'size-huge',
  'size-negative',
  'correlation-id',
  'garbage-after',
  'duplicate',
  'swallow',
] as const;
type Mutation = (typeof MUTATIONS)[number];

function mutate(kind: Mutation, frame: Buffer, rnd: () => number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const payload = frame.subarray(4);
  switch (kind) {
    case 'truncate': {
      // A consistent frame whose body is cut short.
      const keep = int(payload.length);
      const out = Buffer.alloc(4 + keep);
      out.writeInt32BE(keep, 0);
      payload.copy(out, 4, 0, keep);
      return out;
    }
    case 'cut-stream':
      // The size promises more than ever arrives.
      return frame.subarray(0, 4 + int(payload.length));
    case 'bit-flip': {
      const out = Buffer.from(frame);
      const flips = 1 + int(8);
      for (let i = 0; i < flips; i++) {
        const at = 4 + int(payload.length);
        out[at] = out[at]! ^ (1 << int(8));
      }
      return out;
    }
    case 'size-larger': {
      const out = Buffer.from(frame);
      out.writeInt32BE(payload.length + 1 + int(1000), 0);
      return out;
    }
    case 'size-smaller': {
      const out = Buffer.from(frame);
      out.writeInt32BE(Math.max(0, payload.length - 1 - int(payload.length)), 0);
      return out;
    }
    case 'size-huge': {
      const out = Buffer.from(frame);
      out.writeInt32BE(0x7fffffff, 0);
      return out;
    }
    case 'size-negative': {
      const out = Buffer.from(frame);
      out.writeInt32BE(-1 - int(1000), 0);
      return out;
    }
    case 'correlation-id': {
      const out = Buffer.from(frame);
      out.writeInt32BE(int(2 ** 31), 4);
      return out;
    }
    case 'garbage-after': {
      const junk = Buffer.alloc(1 + int(64));
      for (let i = 0; i < junk.length; i++) junk[i] = int(256);
      return Buffer.concat([frame, junk]);
    }
    case 'duplicate':
      return Buffer.concat([frame, frame]);
    case 'swallow':
      return Buffer.alloc(0);
  }
}

function gc(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

describe(`response fuzzing (seed ${SEED}, ${CASES} cases)`, () => {
  const cluster = testCluster();
  const topic = uniqueTopicName('rel-fuzz');
  let proxies: ProxyGroup;
  let admin: Admin;
  let producer: Producer;
  let armed: { kind: Mutation; rnd: () => number } | undefined;
  const process_errors: unknown[] = [];
  /** Cases after which the client stayed on a connection that no longer answered. */
  const stuck: string[] = [];
  /** Cases the first test got through, so that the second cannot pass on a run that never happened. */
  let casesRun = 0;
  const onProcessError = (e: unknown) => process_errors.push(e);

  before(async () => {
    process.on('uncaughtException', onProcessError);
    process.on('unhandledRejection', onProcessError);
    await createTopic(cluster.brokers, topic, 2);
    proxies = await ProxyGroup.start(cluster.brokers);
    // Set for good before any connection, so that frame boundaries are tracked from the start.
    proxies.mutator = (frame) => {
      const a = armed;
      if (!a) return frame;
      armed = undefined;
      return mutate(a.kind, frame, a.rnd);
    };
    const kafka = new Kafka({
      clientId: 'rel-fuzz',
      brokers: cluster.brokers,
      socketFactory: proxies.socketFactory,
      requestTimeout: REQUEST_TIMEOUT,
      connectionTimeout: 1_000,
      authenticationTimeout: 1_500,
      retry: { retries: 2, initialRetryTime: 30, maxRetryTime: 200 },
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ lingerMs: 0, deliveryTimeout: 4_000, retryBackoffMs: 50 });
    await producer.connect();
  });

  after(async () => {
    process.off('uncaughtException', onProcessError);
    process.off('unhandledRejection', onProcessError);
    await producer?.disconnect().catch(() => {});
    await admin?.disconnect().catch(() => {});
    await proxies?.close();
  });

  it('every corrupted answer ends in a result or a typed error, in time, and the client recovers', {
    timeout: 900_000,
  }, async () => {
    const rnd = prng(SEED);
    const ops: [string, () => Promise<unknown>][] = [
      ['listTopics', () => admin.listTopics()],
      ['fetchTopicMetadata', () => admin.fetchTopicMetadata({ topics: [topic] })],
      ['fetchTopicOffsets', () => admin.fetchTopicOffsets(topic)],
      ['send', () => producer.send({ topic, messages: [{ key: 'k', value: `v-${rnd()}` }] })],
    ];
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const failures: string[] = [];
    const deadline = <T>(p: Promise<T>, what: string) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`HANG: ${what}`)), CASE_DEADLINE_MS).unref(),
        ),
      ]);

    // Warm up, then measure the heap from here.
    for (const [, op] of ops) await op();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    let slowest = 0;

    for (let i = 0; i < CASES; i++) {
      const kind = MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!;
      const [opName, op] = ops[Math.floor(rnd() * ops.length)]!;
      // Sometimes start from fresh connections, so the corrupted answer is a handshake's.
      const fresh = rnd() < 0.25;
      if (fresh) proxies.drop('reset');
      armed = { kind, rnd: prng(Math.floor(rnd() * 2 ** 31)) };
      const label = `case ${i} ${kind} on ${opName}${fresh ? ' (fresh connection)' : ''}`;
      const t0 = Date.now();
      try {
        await deadline(op(), label);
        count(`${kind}: ok`);
      } catch (error) {
        if (error instanceof KafkaJSError) count(`${kind}: ${error.name}`);
        else {
          count(`${kind}: UNTYPED`);
          failures.push(`${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
        }
      }
      slowest = Math.max(slowest, Date.now() - t0);
      armed = undefined;
      casesRun++;
      // The next clean call must work.
      try {
        await deadline(admin.listTopics(), `${label}: recovery`);
      } catch {
        // The client did not notice: the connection is still up but out of step. Count it,
        // release it as an operator would, and check that a reconnect then works.
        stuck.push(label);
        proxies.drop('reset');
        try {
          await deadline(admin.listTopics(), `${label}: recovery after a reset`);
        } catch (again) {
          failures.push(`${label}: no recovery even after a reset: ${String(again)}`);
        }
      }
    }
    const elapsed = Date.now() - started;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(`[figures] fuzz seed ${SEED}: ${CASES} cases in ${elapsed} ms, slowest case ${slowest} ms`);
    console.log(
      `[figures] fuzz heapUsed ${(heapBefore / 1048576).toFixed(1)} MiB -> ${(heapAfter / 1048576).toFixed(1)} MiB`,
    );
    for (const [k, v] of [...outcomes].sort()) console.log(`[figures] fuzz outcome ${k}: ${v}`);
    assert.deepEqual(failures, [], `replay with FUZZ_SEED=${SEED}`);
    assert.deepEqual(process_errors.map(String), [], 'no uncaught exception or unhandled rejection');
    assert.ok(heapAfter - heapBefore < 32 * 1048576, 'the heap grew by less than 32 MiB');
  });

  // A frame whose size lies (cut short, larger, smaller) leaves the decoder waiting for bytes that
  // belong to later answers, or that never come; the request times out, and a request timeout
  // destroys the connection, so the next call goes over a new one without help from outside.
  it('resets the connection by itself after every corrupted answer', () => {
    assert.equal(casesRun, CASES, 'the fuzzing test above ran every case');
    const kinds = new Map<string, number>();
    for (const s of stuck) {
      const kind = s.split(' ')[2]!;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    console.log(
      `[figures] fuzz stuck connections: ${stuck.length} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`,
    );
    assert.deepEqual(stuck, []);
  });
});

/**
 * The decoder fuzzer (scripts/fuzz.ts) must report what it is there to find: faults planted at
 * known cases (an untyped exception, an endless loop, a process abort) each come back as one
 * finding with that case's index, the run goes on past them to the last case, and it exits 1.
 * The clean 5,000-case slice runs as its own CI step (`npm run fuzz -- --cases 5000`).
 */
describe('decoder fuzzer reports planted faults', () => {
  it('an untyped error, a hang and a crash are each found at their case, and the run completes', {
    timeout: 120_000,
  }, async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/fuzz.ts', '--seed', '11', '--cases', '300', '--case-ms', '1000'],
      { env: { ...process.env, KAFKATS_FUZZ_INJECT: 'throw@17,hang@120,crash@250' }, stdio: 'pipe' },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 1, out);
    assert.match(out, /fuzz: 300 cases in/);
    assert.match(out, /findings: 3 \(untyped errors 1, hangs 1, crashes 1\)/);
    assert.match(out, /case 17 untyped: .*fault injected at case 17/);
    assert.match(out, /case 120 hang: still running after \d+ ms/);
    assert.match(out, /case 250 crash: the process died \(SIGABRT\)/);
    // every case but the two that killed their process was counted
    const counted = [...out.matchAll(/^ {2}\w+ (?:decoded|rejected|untyped): (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
    assert.equal(counted, 298, out);
  });
});
