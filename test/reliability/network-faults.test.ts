/**
 * Network faults between the client and the broker, injected by a TCP proxy (proxy.ts): added
 * latency, connections reset (RST) and closed (FIN), a half-open stall longer than the request
 * timeout, and a bandwidth cap. An idempotent producer streams unique values through it the whole
 * time; after each fault it must resume acknowledging, and at the end every acknowledged value is
 * in the log exactly once (read back with kcat, around the proxy).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaJSError } from '../../src/errors/base.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { Producer } from '../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../helpers/cluster.js';
import { createTopic, kcatValues, ProduceStream, printTally, sleep, tally } from './helpers.js';
import { ProxyGroup } from './proxy.js';

const REQUEST_TIMEOUT = 2_000;

describe('network faults through a proxy: the idempotent producer resumes and loses nothing', () => {
  const cluster = testCluster();
  let proxies: ProxyGroup;
  let producer: Producer;
  let stream: ProduceStream;
  const topic = uniqueTopicName('rel-netfault');
  const faults: string[] = [];

  before(async () => {
    await createTopic(cluster.brokers, topic, 3);
    proxies = await ProxyGroup.start(cluster.brokers);
    const kafka = new Kafka({
      clientId: 'rel-netfault',
      brokers: cluster.brokers,
      socketFactory: proxies.socketFactory,
      requestTimeout: REQUEST_TIMEOUT,
      connectionTimeout: 1_000,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer({ lingerMs: 2, deliveryTimeout: 60_000, retryBackoffMs: 100 });
    await producer.connect();
    stream = new ProduceStream(producer, topic, 'nf', 10, 20, 2).start();
    await stream.waitForAcks(500, 20_000, 'a clean start');
  });

  after(async () => {
    await stream?.stop();
    await producer?.disconnect().catch(() => {});
    await proxies?.close();
  });

  it('keeps acknowledging with 150 ms of latency each way', { timeout: 60_000 }, async () => {
    proxies.latencyMs = 150;
    await stream.waitForAcks(300, 30_000, 'acks under latency');
    proxies.latencyMs = 0;
    faults.push('latency 150 ms each way');
  });

  it('reconnects after every connection is reset (RST), three times', { timeout: 90_000 }, async () => {
    for (let i = 0; i < 3; i++) {
      const dropped = proxies.drop('reset');
      assert.ok(dropped > 0, 'there were connections to reset');
      await stream.waitForAcks(300, 30_000, `acks after reset ${i + 1}`);
    }
    faults.push('3 × every connection reset (RST)');
  });

  it('reconnects after every connection is closed (FIN)', { timeout: 60_000 }, async () => {
    proxies.drop('close');
    await stream.waitForAcks(300, 30_000, 'acks after FIN');
    faults.push('every connection closed (FIN)');
  });

  // Nothing from outside ends the stalled connections: the ones in use stay black-holed for good,
  // so acknowledgements resume only if the client's own request timeout gives up on them and the
  // retries go over connections it opened again by itself.
  it(`times out on a half-open stall longer than the request timeout, then resumes`, {
    timeout: 90_000,
  }, async () => {
    const before = stream.acknowledged.size;
    const accepted = proxies.connectionsAccepted;
    assert.ok(proxies.blackholeExisting() > 0, 'there were connections to stall');
    proxies.stall();
    await sleep(REQUEST_TIMEOUT * 2 + 500);
    const during = stream.acknowledged.size - before;
    const redialled = proxies.connectionsAccepted - accepted;
    // The broker is reachable again, but only through connections opened since the stall began.
    proxies.unstall();
    await stream.waitForAcks(300, 45_000, 'acks after the stall');
    assert.ok(redialled > 0, 'the client opened new connections during the stall on its own');
    assert.ok(
      during < 200,
      `at most what was already in flight is acknowledged during the stall (${during})`,
    );
    faults.push(
      `half-open stall of ${REQUEST_TIMEOUT * 2 + 500} ms (request timeout ${REQUEST_TIMEOUT} ms), ` +
        `stalled connections never released, ${redialled} redialled by the client`,
    );
  });

  it('stalls then heals without a reset: late answers are accepted or dropped, nothing doubled', {
    timeout: 90_000,
  }, async () => {
    proxies.stall();
    await sleep(REQUEST_TIMEOUT + 1_000);
    proxies.unstall();
    await stream.waitForAcks(300, 45_000, 'acks after a healed stall');
    faults.push(`stall of ${REQUEST_TIMEOUT + 1_000} ms healed without a reset`);
  });

  // A connection that goes silent for good (half-open peer, no FIN or RST ever comes): the first
  // request timeout on it destroys it (as Java's NetworkClient does), the retry goes over a new
  // connection, and the producer resumes within about one request timeout, with no reset from
  // outside. The black-holed sockets stay open in the proxy until the client closes them.
  it('abandons a black-holed connection (stalled for good, new connections work) and resumes', {
    timeout: 60_000,
  }, async () => {
    const holed = proxies.blackholeExisting();
    assert.ok(holed > 0, 'there were connections to black-hole');
    const started = Date.now();
    await stream.waitForAcks(300, 15_000, 'acks after a black hole');
    const elapsed = Date.now() - started;
    console.log(`[figures] black hole: acknowledging again after ${elapsed} ms, no reset from outside`);
    faults.push(`black-holed connections, abandoned by the client after the request timeout (${elapsed} ms)`);
  });

  it('keeps acknowledging under a 64 KiB/s bandwidth cap', { timeout: 60_000 }, async () => {
    proxies.bytesPerSecond = 64 * 1024;
    await stream.waitForAcks(200, 45_000, 'acks under the bandwidth cap');
    proxies.bytesPerSecond = 0;
    faults.push('bandwidth capped at 64 KiB/s per direction');
  });

  it('every acknowledged value is in the log exactly once', { timeout: 120_000 }, async () => {
    await stream.waitForAcks(100, 30_000, 'a last clean stretch');
    await stream.stop();
    const log = await kcatValues(cluster.bootstrap, topic);
    const t = tally(stream.produced, stream.acknowledged, stream.failedSends, log);
    printTally(`network faults (${faults.join('; ')})`, t);
    console.log(
      `[figures] proxy: ${proxies.connectionsAccepted} connections accepted, unproxied ${proxies.unproxied}`,
    );
    for (const e of stream.errors) {
      console.log(`[figures] failed send: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      assert.ok(e instanceof KafkaJSError, `typed failure: ${String(e)}`);
    }
    assert.equal(proxies.unproxied, 0, 'every connection went through the proxy');
    assert.equal(t.lost, 0, 'no acknowledged value is missing');
    assert.equal(t.duplicates, 0, 'no value is in the log twice');
    assert.equal(stream.failedSends, 0, 'no send failed (delivery timeout 60 s is never reached)');
  });
});
