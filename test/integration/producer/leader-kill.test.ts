/**
 * The idempotent producer's promise under a crash: SIGKILL the leader of a partition while
 * records stream, restart it, repeat; then read everything back. Every acknowledged record must
 * be in the log exactly once, and each partition's records in the order they were sent.
 *
 * Runs its own 3-node cluster (it kills brokers), so it is not a compat test and does not use
 * the shared broker. Figures are printed for docs/producer.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Producer } from '../../../src/producer/index.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { createTopic, kcatRead } from './helpers.js';

const PARTITIONS = 6;
const ROUNDS = Number(process.env.LEADER_KILL_ROUNDS ?? 3);
const MESSAGES_PER_SEND = 20;
const MAX_OUTSTANDING_SENDS = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('idempotent producer survives leader kills (3 nodes, RF 3, min.insync.replicas 2)', () => {
  let cluster: KafkaCluster;

  before(async () => {
    cluster = await startKafka({ nodes: 3, heapMb: 384, log: (l) => console.log(`[kafka] ${l}`) });
  });
  after(async () => {
    await cluster?.stop();
  });

  it(`loses and duplicates nothing over ${ROUNDS} leader kill/restart rounds`, {
    timeout: 900_000,
  }, async () => {
    const k = new Kafka({ clientId: 'leader-kill', brokers: cluster.brokers, logLevel: logLevel.ERROR });
    const topic = `leader-kill-${Date.now()}`;
    await createTopic(k, topic, PARTITIONS, 3, { 'min.insync.replicas': '2' });

    const producer: Producer = k.producer({ idempotent: true, lingerMs: 2, retryBackoffMs: 100 });
    await producer.connect();
    const meta = k.cluster();
    await meta.connect();
    const partitionState = async () => {
      await meta.refreshMetadata([topic]);
      return meta.metadata.topics.get(topic)!.partitions;
    };

    let produced = 0;
    const acknowledged = new Set<number>();
    const failed: unknown[] = [];
    let outstanding = 0;
    let stopping = false;
    const streaming = (async () => {
      let seq = 0;
      const inFlight = new Set<Promise<void>>();
      while (!stopping) {
        if (outstanding >= MAX_OUTSTANDING_SENDS) {
          await Promise.race(inFlight);
          continue;
        }
        const seqs = Array.from({ length: MESSAGES_PER_SEND }, () => seq++);
        produced += seqs.length;
        outstanding++;
        const p: Promise<void> = producer
          .send({ topic, messages: seqs.map((s) => ({ key: `key-${s % 997}`, value: String(s) })) })
          .then(
            () => {
              for (const s of seqs) acknowledged.add(s);
            },
            (error: unknown) => {
              failed.push(error);
            },
          )
          .finally(() => {
            outstanding--;
            inFlight.delete(p);
          });
        inFlight.add(p);
        await sleep(2);
      }
      await Promise.all(inFlight);
    })();

    const waitForAcks = async (atLeast: number, what: string) => {
      const deadline = Date.now() + 120_000;
      while (acknowledged.size < atLeast) {
        if (Date.now() > deadline) throw new Error(`only ${acknowledged.size} acks ${what}`);
        await sleep(100);
      }
    };

    const rounds: string[] = [];
    try {
      await waitForAcks(5_000, 'before the first kill');
      for (let round = 0; round < ROUNDS; round++) {
        const partition = round % PARTITIONS;
        const leader = (await partitionState())[partition]!.leader;
        const before = acknowledged.size;
        const t0 = Date.now();
        await cluster.kill(leader);
        // Keep streaming on the survivors; the killed node's partitions move to new leaders.
        await waitForAcks(before + 5_000, `after killing node ${leader}`);
        const failover = Date.now() - t0;
        await cluster.restart(leader);
        // Wait until every replica is back in sync before the next kill, or min ISR would be lost.
        const deadline = Date.now() + 120_000;
        for (;;) {
          const ps = await partitionState();
          if (ps.every((p) => p.isr.length === 3 && p.leader >= 0)) break;
          if (Date.now() > deadline) throw new Error('replicas did not rejoin the ISR within 120 s');
          await sleep(500);
        }
        await waitForAcks(acknowledged.size + 2_000, `after restarting node ${leader}`);
        rounds.push(
          `round ${round + 1}: killed node ${leader} (leader of partition ${partition}); ` +
            `5000 acks after ${failover} ms; back in ISR after ${Date.now() - t0} ms`,
        );
      }
    } finally {
      stopping = true;
      await streaming;
      await producer.disconnect();
      await meta.disconnect();
    }

    const records = await kcatRead(cluster.bootstrap, topic, ['-X', 'isolation.level=read_uncommitted']);
    const seen = new Map<number, number>();
    let duplicates = 0;
    let outOfOrder = 0;
    const lastByPartition = new Map<number, number>();
    for (const r of records) {
      const s = Number(r.value);
      const n = (seen.get(s) ?? 0) + 1;
      seen.set(s, n);
      if (n > 1) duplicates++;
      const last = lastByPartition.get(r.partition) ?? -1;
      if (s <= last) outOfOrder++;
      lastByPartition.set(r.partition, s);
    }
    let lost = 0;
    for (const s of acknowledged) if (!seen.has(s)) lost++;
    const unacknowledgedButWritten = [...seen.keys()].filter((s) => !acknowledged.has(s)).length;
    for (const line of rounds) console.log(`[leader-kill] ${line}`);
    console.log(
      `[leader-kill] produced ${produced}, acknowledged ${acknowledged.size}, failed sends ${failed.length}, ` +
        `in log ${records.length}, duplicates ${duplicates}, lost ${lost}, out of order ${outOfOrder}, ` +
        `written but not acknowledged ${unacknowledgedButWritten}`,
    );
    if (failed.length > 0) console.log('[leader-kill] first failure:', failed[0]);

    assert.equal(duplicates, 0, 'no record is written twice');
    assert.equal(lost, 0, 'every acknowledged record is in the log');
    assert.equal(outOfOrder, 0, 'each partition holds its records in send order');
    assert.equal(failed.length, 0, 'no send fails: leader changes are retried within deliveryTimeout');
    assert.ok(rounds.length >= 1);
  });
});
