/**
 * Helpers for the consumer's integration tests: topics created with a CreateTopics request over
 * the consumer's own DirectCluster, records written with kcat (so the consumer is tested against
 * bytes another client wrote), and a consumer factory bound to the test broker.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Consumer, type ConsumerOptions } from '../../../src/consumer/index.js';
import { createLogger, logLevel } from '../../../src/logger.js';
import { ErrorCodes, errorByCode } from '../../../src/protocol/error-codes.js';
import { CreateTopics } from '../../../src/protocol/messages/index.js';
import { testCluster } from '../../helpers/cluster.js';
import { DirectCluster } from '../../helpers/direct-cluster.js';

const run = promisify(execFile);

export function brokers(): string[] {
  return testCluster().brokers;
}

export function directCluster(): DirectCluster {
  return new DirectCluster({ brokers: brokers(), clientId: 'kafkats-consumer-test', logger: quietLogger() });
}

export function quietLogger() {
  return createLogger({ level: process.env.KAFKATS_TEST_LOG ? logLevel.DEBUG : logLevel.NOTHING });
}

export function newConsumer(options: ConsumerOptions): Consumer {
  return new Consumer(
    { cluster: directCluster(), logger: quietLogger(), clientId: 'kafkats-consumer-test' },
    options,
  );
}

export async function createTopic(name: string, partitions: number): Promise<void> {
  const c = directCluster();
  await c.connect();
  try {
    const meta = await c.metadata([]);
    const node =
      meta.controllerId !== undefined && meta.controllerId >= 0 ? meta.controllerId : meta.brokers[0]!.nodeId;
    const version = await c.versionFor(node, 'default', CreateTopics);
    const res = await c.send(
      node,
      'default',
      CreateTopics,
      {
        topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 10_000,
        validateOnly: false,
      },
      { version },
    );
    const code = res.topics[0]?.errorCode ?? ErrorCodes.NONE;
    if (code !== ErrorCodes.NONE && code !== ErrorCodes.TOPIC_ALREADY_EXISTS)
      throw new Error(`CreateTopics ${name} failed with ${errorByCode(code).type}`);
    // Wait until every partition has a leader; a topic still without one after the deadline fails
    // the test here rather than as a confusing timeout later.
    const deadline = Date.now() + 30_000;
    let last = 'no metadata yet';
    while (Date.now() < deadline) {
      const m = await c.metadata([name]);
      const t = m.topics[0];
      if (
        t &&
        t.errorCode === ErrorCodes.NONE &&
        t.partitions.length === partitions &&
        t.partitions.every((p) => p.leaderId >= 0)
      )
        return;
      last = t
        ? `${errorByCode(t.errorCode).type}, ${t.partitions.length}/${partitions} partitions, leaders ${t.partitions.map((p) => p.leaderId).join(',')}`
        : 'topic missing from metadata';
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Topic ${name} has no leader for every partition after 30 s (last metadata: ${last})`);
  } finally {
    await c.disconnect();
  }
}

/** Writes `key:value` lines to one partition with kcat, compressed with `codec`. */
export async function produceWithKcat(
  topic: string,
  partition: number,
  lines: string[],
  codec: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd' = 'none',
): Promise<void> {
  const args = ['-P', '-b', brokers()[0]!, '-t', topic, '-p', String(partition), '-K:', '-z', codec];
  const child = run('kcat', args, { timeout: 30_000 });
  child.child.stdin!.end(`${lines.join('\n')}\n`);
  await child;
}

/** Resolves when `check()` is true, polling; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
