/**
 * Network faults between a consuming group member and the broker, through the TCP proxy
 * (proxy.ts): every connection reset (RST), closed (FIN), a half-open stall longer than the
 * request timeout, black-holed connections. An idempotent producer (not proxied) streams unique
 * values the whole time; after each fault the consumer must resume. At the end every
 * acknowledged value has been processed, and any value processed twice was at or above the last
 * committed offset of its partition (the uncommitted window: auto-commit every second).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Consumer } from '../../src/consumer/index.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import { ConsumeLog, createTopic, ProduceStream, printConsumeTally, sleep, waitFor } from './helpers.js';
import { ProxyGroup } from './proxy.js';

const REQUEST_TIMEOUT = 2_000;

describe('network faults through a proxy: the consumer group resumes, duplicates stay uncommitted', () => {
  const cluster = testCluster();
  const topic = uniqueTopicName('rel-consumer-netfault');
  let proxies: ProxyGroup;
  let producer: Producer;
  let consumer: Consumer;
  let stream: ProduceStream;
  const log = new ConsumeLog();
  const crashes: string[] = [];
  const faults: string[] = [];

  /** Waits until `count` more values are processed. */
  const consumes = async (count: number, ms: number, what: string) => {
    const target = log.consumed + count;
    const t0 = Date.now();
    await waitFor(() => log.consumed >= target, ms, what);
    return Date.now() - t0;
  };

  before(async () => {
    await createTopic(cluster.brokers, topic, 3);
    proxies = await ProxyGroup.start(cluster.brokers);
    producer = new Kafka({
      clientId: 'rel-cnf-producer',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
    }).producer({ lingerMs: 2 });
    await producer.connect();
    const kafka = new Kafka({
      clientId: 'rel-cnf',
      brokers: cluster.brokers,
      socketFactory: proxies.socketFactory,
      requestTimeout: REQUEST_TIMEOUT,
      connectionTimeout: 1_000,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({
      groupId: `g-${topic}`,
      maxWaitTimeInMs: 500,
      requestTimeout: REQUEST_TIMEOUT + 1_000,
      retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    consumer.on('consumer.commit_offsets', log.onCommit);
    consumer.on('consumer.crash', (e) => crashes.push(String((e.payload.error as Error)?.message)));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 1_000,
      eachMessage: async ({ partition, message }) => {
        log.record(partition, message.offset, message.value!.toString());
      },
    });
    stream = new ProduceStream(producer, topic, 'cnf', 10, 10, 5).start();
    await consumes(500, 30_000, 'a clean start');
  });

  after(async () => {
    await stream?.stop();
    await consumer?.disconnect().catch(() => {});
    await producer?.disconnect().catch(() => {});
    await proxies?.close();
  });

  it('resumes after every connection is reset (RST), three times', { timeout: 90_000 }, async () => {
    const took: number[] = [];
    for (let i = 0; i < 3; i++) {
      assert.ok(proxies.drop('reset') > 0, 'there were connections to reset');
      took.push(await consumes(300, 30_000, `consumption after reset ${i + 1}`));
    }
    faults.push(`3 × RST (300 more consumed after ${took.join(', ')} ms)`);
  });

  it('resumes after every connection is closed (FIN)', { timeout: 60_000 }, async () => {
    proxies.drop('close');
    faults.push(`FIN (${await consumes(300, 30_000, 'consumption after FIN')} ms)`);
  });

  // The connections in use stay black-holed for good and new ones get nothing until the stall
  // ends: consumption resumes only if the client's own request timeout gives up on the stalled
  // connections and it dials again, with no reset from outside.
  it('resumes after a half-open stall longer than the request timeout', { timeout: 90_000 }, async () => {
    const stallMs = 2 * (REQUEST_TIMEOUT + 1_000) + 1_500;
    const accepted = proxies.connectionsAccepted;
    assert.ok(proxies.blackholeExisting() > 0, 'there were connections to stall');
    proxies.stall();
    await sleep(stallMs);
    const redialled = proxies.connectionsAccepted - accepted;
    proxies.unstall();
    const took = await consumes(300, 45_000, 'consumption after the stall');
    assert.ok(redialled > 0, 'the client opened new connections during the stall on its own');
    faults.push(
      `stall ${stallMs} ms, stalled connections never released, ${redialled} redialled (${took} ms)`,
    );
  });

  it('abandons black-holed connections by itself and resumes', { timeout: 60_000 }, async () => {
    assert.ok(proxies.blackholeExisting() > 0, 'there were connections to black-hole');
    faults.push(`black hole (${await consumes(300, 30_000, 'consumption after a black hole')} ms)`);
  });

  it('every acknowledged value was processed; redeliveries only above the last commit', {
    timeout: 120_000,
  }, async () => {
    await consumes(300, 30_000, 'a last clean stretch');
    await stream.stop();
    await waitFor(
      () => log.unprocessed(stream.acknowledged).length === 0,
      60_000,
      'every acknowledged value processed',
    );
    printConsumeTally(`consumer network faults (${faults.join('; ')})`, stream, log);
    console.log(
      `[figures] consumer proxy: ${proxies.connectionsAccepted} connections, unproxied ${proxies.unproxied}, ` +
        `crashes ${crashes.length} ${crashes.slice(0, 3).join(' | ')}`,
    );
    assert.equal(proxies.unproxied, 0, 'every connection went through the proxy');
    assert.equal(log.unprocessed(stream.acknowledged).length, 0, 'no acknowledged value unprocessed');
    assert.equal(log.belowCommitted, 0, 'no committed record was delivered again');
  });
});
