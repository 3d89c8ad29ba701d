/**
 * npm run kafka:stop — stops the Kafka started by `npm run kafka:start`: SIGTERM (a controlled
 * shutdown), SIGKILL after 20 s, then deletes its data and the state file. A docker-route
 * cluster is stopped with `docker stop` and removed with `docker rm`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { isKafkaProcess, readState, stateFile } from '../src/testing/state.js';

const GRACE_MS = 20_000;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const state = await readState();
  if (!state) {
    console.log('No Kafka started by kafka:start is running (no state file).');
    return;
  }
  const containers = state.nodes.map((n) => n.container).filter((c): c is string => c !== undefined);
  if (containers.length > 0) {
    const seconds = String(GRACE_MS / 1000);
    spawnSync('docker', ['stop', '--time', seconds, ...containers], { stdio: 'ignore' });
    const removed = spawnSync('docker', ['rm', '--force', '--volumes', ...containers], { encoding: 'utf8' });
    rmSync(stateFile(), { force: true });
    console.log(
      removed.status === 0
        ? `Stopped and removed Kafka ${state.version} container ${containers.join(', ')}.`
        : `docker rm failed (${removed.error?.message ?? removed.stderr.trim()}); remove ${containers.join(', ')} by hand.`,
    );
    return;
  }
  const pids = state.nodes.map((n) => n.pid).filter((pid): pid is number => isKafkaProcess(pid));
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (pids.some(isKafkaProcess) && Date.now() < deadline) await delay(100);
  const stubborn = pids.filter(isKafkaProcess);
  for (const pid of stubborn) process.kill(pid, 'SIGKILL');
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  rmSync(stateFile(), { force: true });
  const how = stubborn.length > 0 ? ` (${stubborn.length} killed after ${GRACE_MS / 1000} s)` : '';
  console.log(
    pids.length > 0
      ? `Stopped Kafka ${state.version} at ${state.bootstrap}${how}.`
      : `Kafka ${state.version} was no longer running; cleaned up its files.`,
  );
}

await main();
