/**
 * Makes sure no broker outlives the Node process that started it.
 *
 * - Normal exit and uncaught errors: an `exit` listener SIGKILLs every tracked child
 *   (`process.kill` is synchronous, so it runs inside `exit`).
 * - SIGINT / SIGTERM: the default action would skip `exit`, so a listener kills the children and
 *   then re-raises the signal with the default action restored.
 * - SIGKILL of Node (a test timeout, an OOM kill): no listener runs, so a tiny `sh` watchdog in its
 *   own process group reads tracked pids from a pipe; when the pipe closes because Node is gone,
 *   it kills whatever is still registered.
 *
 * Containers of the docker route are tracked the same way by id and removed with `docker rm -f`
 * (the docker CLI talks to the daemon; the container is not our child, so no signal reaches it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';

const tracked = new Set<number>();
const containers = new Set<string>();
let installed = false;
let watchdog: ChildProcess | undefined;

const WATCHDOG_SCRIPT = `
pids=" "
ids=" "
while read -r cmd pid; do
  case "$cmd" in
    add) pids="$pids$pid " ;;
    del) pids=$(printf '%s' "$pids" | sed "s/ $pid / /") ;;
    addc) ids="$ids$pid " ;;
    delc) ids=$(printf '%s' "$ids" | sed "s/ $pid / /") ;;
  esac
done
for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
for id in $ids; do docker rm -f -v "$id" >/dev/null 2>&1; done
`;

function startWatchdog(): void {
  if (watchdog) return;
  try {
    watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    watchdog.on('error', () => {
      watchdog = undefined;
    });
    watchdog.unref();
    // The pipe must not keep the event loop alive either.
    (watchdog.stdin as unknown as Socket | null)?.unref?.();
  } catch {
    watchdog = undefined; // best effort: the exit/signal listeners still cover the common cases
  }
}

function tell(line: string): void {
  watchdog?.stdin?.write(`${line}\n`);
}

function killAll(): void {
  for (const pid of tracked) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tracked.clear();
  if (containers.size > 0) {
    // Synchronous on purpose: this runs inside `exit`, where nothing asynchronous completes.
    spawnSync('docker', ['rm', '-f', '-v', ...containers], { stdio: 'ignore', timeout: 30_000 });
    containers.clear();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  // If nobody else handles the signal, die of it as Node would have without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  startWatchdog();
}

/** Registers a child that must die with this process. */
export function trackChild(pid: number): void {
  install();
  tracked.add(pid);
  tell(`add ${pid}`);
}

/** Forgets a child that exited or was handed over (the CLI's detached brokers). */
export function untrackChild(pid: number): void {
  if (tracked.delete(pid)) tell(`del ${pid}`);
}

/** Registers a container (by id) that must be removed when this process exits. */
export function trackContainer(id: string): void {
  if (!/^[0-9a-zA-Z_.-]+$/.test(id)) throw new Error(`not a container id: ${id}`);
  install();
  containers.add(id);
  tell(`addc ${id}`);
}

/** Forgets a container that was removed or handed over (detached). */
export function untrackContainer(id: string): void {
  if (containers.delete(id)) tell(`delc ${id}`);
}
