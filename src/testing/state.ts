/**
 * The state file of the `kafka:start` / `kafka:stop` CLI: a cluster started detached is known to
 * later commands only through <cache>/run/cluster.json.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheRoot } from './fetch.js';
import type { KafkaClusterDescription } from './types.js';

export const runDir = () => join(cacheRoot(), 'run');
export const stateFile = () => join(runDir(), 'cluster.json');

/** True when `pid` is a live Kafka JVM (guards against a recycled pid). */
export function isKafkaProcess(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true; // no /proc (macOS): trust the pid
  }
}

export async function readState(): Promise<KafkaClusterDescription | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(), 'utf8')) as KafkaClusterDescription;
  } catch {
    return undefined;
  }
}
