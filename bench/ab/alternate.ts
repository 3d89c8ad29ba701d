/**
 * What bench/ab/produce.ts and bench/ab/consume.ts share: one child process per run, A and B
 * alternated (A B, then B A, ...) so both sides see the same broker and machine load, only
 * verified runs in the medians, and the B÷A summary.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { median } from '../lib/stats.js';

export type Side = 'a' | 'b';

/** The figures every child prints (its last stdout line, JSON). */
export interface ChildRun {
  msgsPerSec: number;
  cpuUsPerMsg: number;
  cpuSec: number;
  rssMb: number;
}

const root = resolve(import.meta.dirname, '../..');

/**
 * Runs `script` under tsx with `args` and returns its last stdout line parsed. With `profileDir`,
 * each run profiles into its own directory under Node's default file names: tsx's loader thread
 * writes a profile too, and a fixed --cpu-prof-name would let it overwrite the main thread's.
 */
export function runChild<R>(script: string, args: string[], profileDir?: string): R {
  const nodeArgs = ['--import', 'tsx'];
  if (profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  const r = spawnSync(process.execPath, [...nodeArgs, script, ...args], { encoding: 'utf8', cwd: root });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{'))
    throw new Error(`child ${script} failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as R;
}

/** The 1, 5 and 15 minute load averages, one decimal each. */
export function loads(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
}

/**
 * `rounds` rounds of A and B in alternating order. `gate` says why a run does not count (undefined:
 * verified); a failed run is printed, never put in the medians. `detail` adds a run's own figures.
 */
export function alternate<R extends ChildRun>(
  rounds: number,
  runOnce: (side: Side, round: number) => R,
  gate: (r: R) => string | undefined,
  detail: (r: R) => string = () => '',
): Record<Side, R[]> {
  const runs: Record<Side, R[]> = { a: [], b: [] };
  for (let i = 0; i < rounds; i++) {
    const order: Side[] = i % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    for (const side of order) {
      const r = runOnce(side, i);
      const failed = gate(r);
      if (failed === undefined) runs[side].push(r);
      console.log(
        `round ${i + 1} ${side}: ${r.msgsPerSec.toLocaleString('en-US')} msgs/s, ${r.cpuUsPerMsg} µs CPU/msg, ` +
          `${r.cpuSec} s CPU, ${r.rssMb} MB${detail(r)}, ${failed === undefined ? 'verified' : `FAILED (${failed})`}; ` +
          `load ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  }
  return runs;
}

/** Prints each side's medians over its verified runs and the B÷A ratios. */
export function summarize(labels: Record<Side, string>, runs: Record<Side, ChildRun[]>, load0: string): void {
  const summary = (side: Side) => ({
    msgsPerSec: Math.round(median(runs[side].map((r) => r.msgsPerSec))),
    cpuUsPerMsg: Number(median(runs[side].map((r) => r.cpuUsPerMsg)).toFixed(3)),
    rssMb: Math.max(...runs[side].map((r) => r.rssMb)),
  });
  const s = { a: summary('a'), b: summary('b') };
  console.log(`load average before: ${load0}; after: ${loads()}`);
  for (const side of ['a', 'b'] as const)
    console.log(
      `${side.toUpperCase()} ${labels[side]}: median ${s[side].msgsPerSec.toLocaleString('en-US')} msgs/s, ` +
        `${s[side].cpuUsPerMsg} µs CPU/msg, peak RSS ${s[side].rssMb} MB (${runs[side].length} verified runs)`,
    );
  console.log(
    `B/A: throughput ${(s.b.msgsPerSec / s.a.msgsPerSec).toFixed(2)}x, ` +
      `CPU per message ${(s.b.cpuUsPerMsg / s.a.cpuUsPerMsg).toFixed(2)}x`,
  );
}
