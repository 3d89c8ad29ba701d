/**
 * npm run kafka:start [-- --version 3.9 --nodes 3 --authorizer --heap-mb 768 --runtime docker]
 *
 * Starts a Kafka that outlives this command (for running tests or examples by hand), records it in
 * <cache>/run/cluster.json and prints shell-ready lines, the first being
 * `KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:PORT`. Progress goes to stderr, so `eval "$(npm run -s kafka:start)"`
 * exports them. When the recorded cluster is still up, prints its lines again and starts nothing.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type KafkaClusterDescription,
  KafkaHarnessError,
  type KafkaRuntime,
  parseHostPort,
  probeApiVersions,
  startKafka,
} from '../src/testing/index.js';
import { chooseRuntime, requestedRuntime, systemProbes } from '../src/testing/runtime.js';
import { isKafkaProcess, readState, runDir, stateFile } from '../src/testing/state.js';

function envLines(cluster: KafkaClusterDescription): string[] {
  const lines = [
    `KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrap}`,
    `KAFKA_SASL_PLAINTEXT=${cluster.listeners.saslPlaintext.join(',')}`,
    `KAFKA_SSL=${cluster.listeners.ssl.join(',')}`,
    `KAFKA_SASL_SSL=${cluster.listeners.saslSsl.join(',')}`,
  ];
  if (cluster.tls.caPath) lines.push(`KAFKA_TLS_CA=${cluster.tls.caPath}`);
  if (cluster.tls.certPath) lines.push(`KAFKA_TLS_CERT=${cluster.tls.certPath}`);
  if (cluster.tls.keyPath) lines.push(`KAFKA_TLS_KEY=${cluster.tls.keyPath}`);
  lines.push(`KAFKA_VERSION=${cluster.version}`);
  return lines;
}

async function stillUp(state: KafkaClusterDescription): Promise<boolean> {
  // A container's liveness is checked through its listener alone (its pid is the daemon's business).
  if (!state.nodes.every((n) => n.container !== undefined || isKafkaProcess(n.pid))) return false;
  try {
    const { host, port } = parseHostPort(state.brokers[0]!);
    return (await probeApiVersions(host, port, { timeoutMs: 3_000 })).errorCode === 0;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      version: { type: 'string' },
      nodes: { type: 'string', default: '1' },
      authorizer: { type: 'boolean', default: false },
      'heap-mb': { type: 'string' },
      runtime: { type: 'string' },
    },
  });
  const existing = await readState();
  if (existing) {
    if (await stillUp(existing)) {
      console.error(
        `Kafka ${existing.version} is already running (started by kafka:start; stop it with npm run kafka:stop).`,
      );
      console.log(envLines(existing).join('\n'));
      return 0;
    }
    // A crashed or half-stopped cluster: finish it off so that a fresh one can take its place.
    for (const node of existing.nodes) {
      if (node.container)
        spawnSync('docker', ['rm', '--force', '--volumes', node.container], { stdio: 'ignore' });
      else if (isKafkaProcess(node.pid)) process.kill(node.pid!, 'SIGKILL');
    }
    if (existing.dir) rmSync(existing.dir, { recursive: true, force: true });
    rmSync(stateFile(), { force: true });
  }
  const nodes = Number(values.nodes);
  const runtime = await chooseRuntime(
    requestedRuntime(values.runtime as KafkaRuntime | undefined),
    systemProbes(),
  );
  const cluster = await startKafka({
    runtime,
    version: values.version,
    nodes: nodes as 1 | 3,
    // Only set when asked, so that the docker route names them instead of ignoring them.
    authorizer: values.authorizer || undefined,
    heapMb: values['heap-mb'] === undefined ? undefined : Number(values['heap-mb']),
    dataDir: runtime === 'jvm' ? runDir() : undefined,
    detached: true,
    log: (line) => console.error(line),
  });
  const description = cluster.describe();
  writeFileSync(stateFile(), `${JSON.stringify(description, null, 2)}\n`);
  console.error(
    `Kafka ${cluster.version} is running; state in ${stateFile()}; stop it with npm run kafka:stop.`,
  );
  console.log(envLines(description).join('\n'));
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof KafkaHarnessError ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}
