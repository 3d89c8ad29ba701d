/**
 * One benchmark run in its own process: `node --import tsx bench/child.ts '<RunSpec JSON>'`.
 * Loads the client's package and this run's slice of the data set, then starts the CPU clock,
 * runs the scenario, and prints one RESULT_PREFIX line with the runner's figures plus this
 * process's CPU seconds (all threads, so librdkafka's are counted) and peak RSS less the data set.
 * Module loading and data loading happen before the CPU clock starts, for every client alike.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { inspect } from 'node:util';
import { Dataset } from './lib/data.js';
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

/** This process's records of the data set file (produce and e2e runs; consumers need none). */
function loadData(spec: RunSpec): Dataset {
  const { size } = spec.scenario;
  const producing = spec.scenario.kind === 'produce' || spec.scenario.kind === 'e2e';
  const count = producing ? spec.count : 0;
  const bytes = Buffer.allocUnsafe(count * size);
  if (count > 0) {
    const fd = openSync(spec.dataFile, 'r');
    try {
      let at = 0;
      while (at < bytes.length) {
        const n = readSync(fd, bytes, at, bytes.length - at, spec.seqBase * size + at);
        if (n === 0) throw new Error(`data set ${spec.dataFile} is too short`);
        at += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  return new Dataset(bytes, spec.seqBase, count, size);
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
  const mod = (await import(`./clients/${spec.client}.js`)) as ClientModule;
  const name = RUNNER_OF[spec.scenario.kind];
  const runner = mod[name];
  if (!runner) throw new Error(`unsupported: ${spec.client} has no runner for ${name}`);
  await mod.preload?.();
  const data = loadData(spec);
  const cpu0 = process.cpuUsage();
  const result = await runner(spec, data);
  const cpu = process.cpuUsage(cpu0);
  const report: ChildReport = {
    result,
    cpuSec: (cpu.user + cpu.system) / 1e6,
    rssMb: peakRssMb() - data.bytes.length / 2 ** 20,
  };
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
