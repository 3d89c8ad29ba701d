/**
 * Readiness: a node is ready when its PLAINTEXT listener answers ApiVersions, and the cluster is
 * ready when every node's Metadata lists every broker (a fresh KRaft broker answers ApiVersions
 * before it has registered, and clients would then see a partial cluster). Polls; never sleeps
 * longer than one short interval, and fails fast when a JVM exits.
 */
import { HOST } from './config.js';
import { KafkaHarnessError } from './errors.js';
import { probeApiVersions, probeMetadata } from './wire.js';

const POLL_MS = 150;
const LOG_LINES = 50;

/**
 * What readiness needs to know of a broker, whatever runs it: a local JVM (BrokerProcess) or a
 * container (DockerNode).
 */
export interface BrokerHandle {
  /** False once the broker has exited: readiness then fails at once instead of at the deadline. */
  readonly running: boolean;
  /** Set when the broker could not be started at all (a missing executable). */
  readonly spawnError: Error | undefined;
  /** How the broker ended (`exited with code 1`), for error messages. */
  readonly exitDescription: string;
  /** The tail of the broker's logs, quoted in error messages. */
  failureLog(lines: number): Promise<string>;
  /** Brings `running` up to date when it cannot be tracked by events (a container). */
  refresh?(): Promise<void>;
}

export interface ReadinessTarget {
  nodeId: number;
  plaintextPort: number;
  process: BrokerHandle;
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
      await target.process.refresh?.();
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
