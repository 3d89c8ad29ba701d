/**
 * One benchmark run in its own process: `node --import tsx bench/child.ts '<RunSpec JSON>'`.
 * Loads the client's runner, runs the scenario, and prints one RESULT_PREFIX line with the
 * runner's figures plus this process's CPU seconds (all threads, so librdkafka's are counted)
 * and peak RSS. Module loading happens before the CPU clock starts.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import type { ChildReport, ClientModule, RunSpec } from './lib/types.js';
import { RESULT_PREFIX, RUNNER_OF } from './lib/types.js';

function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall back to getrusage's maxRSS (KiB)
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
  const mod = (await import(`./clients/${spec.client}.js`)) as ClientModule;
  const name = RUNNER_OF[spec.scenario.kind];
  const runner = mod[name];
  if (!runner) throw new Error(mod.unsupported?.[name] ?? `${spec.client} has no runner for ${name}`);
  const cpu0 = process.cpuUsage();
  const result = await runner(spec);
  const cpu = process.cpuUsage(cpu0);
  const report: ChildReport = { result, cpuSec: (cpu.user + cpu.system) / 1e6, rssMb: peakRssMb() };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(report)}\n`);
}

main().then(
  // Some clients leave timers or native handles behind; the figures are out, so leave now.
  () => process.exit(0),
  (error: unknown) => {
    // inspect() shows an AggregateError's inner errors and causes, which are what explain it.
    console.error(inspect(error, { depth: 6 }));
    process.exit(1);
  },
);
