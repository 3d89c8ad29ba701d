/**
 * Readiness: a node is ready when its PLAINTEXT listener answers ApiVersions, and the cluster is
 * ready when every node's Metadata lists every broker (a fresh KRaft broker answers ApiVersions
 * before it has registered, and clients would then see a partial cluster). Polls; never sleeps
 * longer than one short interval, and fails fast when a JVM exits.
 */
import { HOST } from './config.js';
import { KafkaHarnessError } from './errors.js';
import type { BrokerProcess } from './process.js';
import { probeApiVersions, probeMetadata } from './wire.js';

const POLL_MS = 150;
const LOG_LINES = 50;

export interface ReadinessTarget {
  nodeId: number;
  plaintextPort: number;
  process: BrokerProcess;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function exitedError(target: ReadinessTarget): Promise<KafkaHarnessError> {
  const { process } = target;
  if (process.spawnError instanceof KafkaHarnessError) return process.spawnError;
  return new KafkaHarnessError(
    'BROKER_EXITED',
    `Kafka node ${target.nodeId} ${process.exitDescription} before it was ready. Last ${LOG_LINES} log lines:\n` +
      (await process.failureLog(LOG_LINES)),
    { cause: process.spawnError },
  );
}

async function isReady(target: ReadinessTarget, brokerCount: number): Promise<boolean> {
  try {
    const versions = await probeApiVersions(HOST, target.plaintextPort, { timeoutMs: 2_000 });
    if (versions.errorCode !== 0) return false;
    const metadata = await probeMetadata(HOST, target.plaintextPort, { timeoutMs: 2_000 });
    return metadata.brokers.length >= brokerCount;
  } catch {
    return false;
  }
}

/**
 * Waits until every target answers and lists `brokerCount` brokers. Rejects with BROKER_EXITED
 * as soon as a JVM dies, or START_TIMEOUT (with each unready node's log tail) at the deadline.
 */
export async function waitUntilReady(
  targets: readonly ReadinessTarget[],
  brokerCount: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(targets);
  for (;;) {
    for (const target of pending) {
      if (!target.process.running) throw await exitedError(target);
    }
    const results = await Promise.all(
      [...pending].map(async (t) => [t, await isReady(t, brokerCount)] as const),
    );
    for (const [target, ready] of results) if (ready) pending.delete(target);
    if (pending.size === 0) return;
    if (Date.now() >= deadline) {
      const tails = await Promise.all(
        [...pending].map(async (t) => `node ${t.nodeId}:\n${await t.process.failureLog(LOG_LINES)}`),
      );
      throw new KafkaHarnessError(
        'START_TIMEOUT',
        `Kafka did not become ready within ${timeoutMs} ms (nodes not ready: ${[...pending]
          .map((t) => t.nodeId)
          .join(
            ', ',
          )}). Raise startTimeoutMs if the machine is slow. Last ${LOG_LINES} log lines:\n${tails.join('\n')}`,
      );
    }
    await delay(POLL_MS);
  }
}
