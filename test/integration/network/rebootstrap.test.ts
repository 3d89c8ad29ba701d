/**
 * Rebootstrap (KIP-899, KIP-1102) and ApiVersions v5 (KIP-1242) against two real single-node
 * clusters, A and B, that this file starts itself.
 *
 * The clients dial through an {@link AddressRouter} (a `socketFactory`): every address they use
 * can be re-pointed by the test while the process runs, as DNS or a load balancer would be in
 * production. "The cluster disappears" is A's address answering nothing any more; "a new cluster
 * answers at the bootstrap address" is the bootstrap name routed to B.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KafkaJSError } from '../../../src/errors/base.js';
import { KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import { Kafka, type KafkaConfig } from '../../../src/kafka.js';
import { type LogEntry, logLevel } from '../../../src/logger.js';
import type { SocketFactory } from '../../../src/network/connection.js';
import { Codes } from '../../../src/protocol/codes.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';

/** A name no resolver knows: only the router can reach it. */
const BOOTSTRAP = 'kafkats-bootstrap.invalid:9092';
/** Nothing listens on port 1: a route there is a cluster that is gone. */
const GONE = '127.0.0.1:1';

/** Re-pointable addresses for the client: `host:port` → where the socket really goes. */
class AddressRouter {
  private readonly routes = new Map<string, string>();
  private readonly sockets = new Set<net.Socket>();

  route(from: string, to: string): void {
    this.routes.set(from, to);
  }

  /** Cuts every open connection, so that the clients dial (and meet the new routes) again. */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  readonly socketFactory: SocketFactory = ({ host, port, onConnect }) => {
    const target = this.routes.get(`${host}:${port}`) ?? `${host}:${port}`;
    const at = target.lastIndexOf(':');
    const socket = net.connect({ host: target.slice(0, at), port: Number(target.slice(at + 1)) }, onConnect);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  };
}

/** Log lines of one client, to see what it did about the cluster it lost. */
class Logs {
  readonly lines: string[] = [];
  readonly logCreator = () => (entry: LogEntry) => {
    this.lines.push(`${entry.log.message} ${JSON.stringify({ ...entry.log, message: undefined })}`);
  };
  some(text: string): boolean {
    return this.lines.some((l) => l.includes(text));
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let a: KafkaCluster | undefined;
let b: KafkaCluster | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
const topic = uniqueTopicName('rebootstrap');
const onlyOnB = uniqueTopicName('rebootstrap-only-b');

async function createTopics(cluster: KafkaCluster, topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers: cluster.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((t) => ({ topic: t, numPartitions: 1 })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

/** A client configuration that dials through `router`, with retries sized for a test. */
function config(router: AddressRouter, logs: Logs, extra: Partial<KafkaConfig> = {}): KafkaConfig {
  return {
    clientId: 'rebootstrap-it',
    brokers: [BOOTSTRAP],
    socketFactory: router.socketFactory,
    connectionTimeout: 3000,
    retry: { retries: 12, initialRetryTime: 100, maxRetryTime: 2000 },
    logLevel: logLevel.INFO,
    logCreator: logs.logCreator,
    ...extra,
  };
}

before(async () => {
  // generous: the machine running the tests may be loaded, and a broker start is CPU-bound
  const start = () => startKafka({ heapMb: 512, startTimeoutMs: 400_000 });
  [a, b] = await Promise.all([start(), start()]);
  await Promise.all([createTopics(a, [topic]), createTopics(b, [topic, onlyOnB])]);
});

after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('rebootstrap (KIP-899 / KIP-1102)', () => {
  it('producer, consumer and admin move to the new cluster at the bootstrap address', async () => {
    const router = new AddressRouter();
    const logs = new Logs();
    router.route(BOOTSTRAP, a!.brokers[0]!);
    const kafka = new Kafka(config(router, logs));
    const producer = kafka.producer();
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: uniqueTopicName('rebootstrap-group') });
    cleanups.push(
      () => producer.disconnect(),
      () => admin.disconnect(),
      () => consumer.disconnect(),
    );
    const seen: string[] = [];
    await producer.connect();
    await admin.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
      },
    });
    await producer.send({ topic, messages: [{ value: 'on-a' }] });
    await waitFor(() => seen.includes('on-a'), 60_000, 'the record produced on A');
    assert.ok(!(await admin.listTopics()).includes(onlyOnB), 'A does not have B-only topics');

    // Cluster A is gone for this client; B answers at the bootstrap address.
    router.route(a!.brokers[0]!, GONE);
    router.route(BOOTSTRAP, b!.brokers[0]!);
    router.dropAll();

    await producer.send({ topic, messages: [{ value: 'on-b-0' }] });
    let sentOnB = 1;
    await waitFor(async () => (await admin.listTopics()).includes(onlyOnB), 60_000, 'admin listing B');
    // The consumer keeps its position from A (as Java's does), so a record at B's offset 0 may lie
    // behind it: keep producing on B until the consumer reads one of them.
    await waitFor(
      async () => {
        if (seen.some((v) => v.startsWith('on-b-'))) return true;
        await producer.send({ topic, messages: [{ value: `on-b-${sentOnB++}` }] });
        return false;
      },
      90_000,
      'the consumer reading a record produced on B',
    ).catch((error: unknown) => {
      console.log(logs.lines.slice(-40).join('\n'));
      throw error;
    });

    // The records really are on B: B's own log end moved, read without the router.
    const direct = new Kafka({ brokers: b!.brokers, logLevel: logLevel.NOTHING }).admin();
    cleanups.push(() => direct.disconnect());
    await direct.connect();
    const offsets = await direct.fetchTopicOffsets(topic);
    assert.equal(offsets[0]?.high, String(sentOnB));
    assert.ok(logs.some('Rebootstrapping'), 'the clients logged their rebootstrap');
  });

  it("with metadataRecoveryStrategy 'none' the clients fail with typed errors", async () => {
    const router = new AddressRouter();
    const logs = new Logs();
    router.route(BOOTSTRAP, a!.brokers[0]!);
    const kafka = new Kafka(
      config(router, logs, {
        metadataRecoveryStrategy: 'none',
        retry: { retries: 2, initialRetryTime: 100 },
      }),
    );
    const producer = kafka.producer();
    const admin = kafka.admin();
    const consumer = kafka.consumer({ groupId: uniqueTopicName('rebootstrap-none'), retry: { retries: 2 } });
    cleanups.push(
      () => producer.disconnect(),
      () => admin.disconnect(),
      () => consumer.disconnect(),
    );
    await producer.connect();
    await admin.connect();
    await consumer.connect();
    await producer.send({ topic, messages: [{ value: 'none-on-a' }] });
    let crash: Error | undefined;
    consumer.on(consumer.events.CRASH, (event) => {
      crash = event.payload.error as Error;
    });

    router.route(a!.brokers[0]!, GONE);
    router.route(BOOTSTRAP, b!.brokers[0]!);
    router.dropAll();

    await assert.rejects(
      producer.send({ topic, messages: [{ value: 'none-lost' }], acks: -1, timeout: 5000 }),
      (e: unknown) => e instanceof KafkaJSError,
    );
    await assert.rejects(admin.listTopics(), (e: unknown) => e instanceof KafkaJSError);
    await consumer.subscribe({ topics: [topic], fromBeginning: true }).catch(() => {});
    await consumer.run({ eachMessage: async () => {}, restartOnFailure: async () => false }).catch(() => {});
    await waitFor(() => crash !== undefined, 120_000, 'the consumer to crash');
    assert.ok(crash instanceof KafkaJSError, `typed consumer error, got ${String(crash)}`);
    assert.ok(!logs.some('Rebootstrapping'), "'none' never rebootstraps");
  });
});

describe('ApiVersions v5 (KIP-1242): a known address that now belongs to another cluster', () => {
  it("'none' sees the broker's typed refusal: REBOOTSTRAP_REQUIRED", async () => {
    const router = new AddressRouter();
    const logs = new Logs();
    const aAddress = a!.brokers[0]!;
    const kafka = new Kafka(
      config(router, logs, { brokers: [aAddress], metadataRecoveryStrategy: 'none', retry: { retries: 1 } }),
    );
    const admin = kafka.admin();
    cleanups.push(() => admin.disconnect());
    await admin.connect();
    assert.ok((await admin.listTopics()).includes(topic));

    router.route(aAddress, b!.brokers[0]!); // A's address now reaches B's node 1
    router.dropAll();

    await assert.rejects(admin.listTopics(), (e: unknown) => {
      const cause = (e as { cause?: unknown }).cause ?? e;
      return cause instanceof KafkaJSProtocolError && cause.code === Codes.REBOOTSTRAP_REQUIRED;
    });
  });

  it("'rebootstrap' recovers through the bootstrap address and B's metadata", async () => {
    const router = new AddressRouter();
    const logs = new Logs();
    const aAddress = a!.brokers[0]!;
    const kafka = new Kafka(config(router, logs, { brokers: [aAddress] }));
    const admin = kafka.admin();
    const producer = kafka.producer();
    cleanups.push(
      () => admin.disconnect(),
      () => producer.disconnect(),
    );
    await admin.connect();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'v5-on-a' }] });

    router.route(aAddress, b!.brokers[0]!);
    router.dropAll();

    await waitFor(async () => (await admin.listTopics()).includes(onlyOnB), 60_000, 'admin listing B');
    await producer.send({ topic, messages: [{ value: 'v5-on-b' }] });
    assert.ok(logs.some('refused the connection'), 'the refusal was the reason to rebootstrap');
  });
});

describe('bad input: bootstrap addresses that never answer', () => {
  it('connect fails with a typed error naming every address', async () => {
    const router = new AddressRouter();
    router.route('nobody-a.invalid:9092', GONE);
    router.route('nobody-b.invalid:9092', GONE);
    const kafka = new Kafka({
      brokers: ['nobody-a.invalid:9092', 'nobody-b.invalid:9092'],
      socketFactory: router.socketFactory,
      connectionTimeout: 500,
      retry: { retries: 1, initialRetryTime: 50 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    cleanups.push(() => admin.disconnect());
    await assert.rejects(admin.connect(), (e: unknown) => {
      assert.ok(e instanceof KafkaJSError, String(e));
      const text = `${e.message} ${String((e as { cause?: Error }).cause?.message ?? '')}`;
      assert.match(text, /nobody-a\.invalid:9092/);
      assert.match(text, /nobody-b\.invalid:9092/);
      return true;
    });
  });
});
