/**
 * startKafka(): fetch the jars, make certificates, write each node's configuration, format its
 * storage with a fresh cluster id and the SCRAM users, start the JVMs and wait until the cluster
 * is whole. Every failure on the way kills what was started and removes the working directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createTls, type TlsFiles } from './certs.js';
import {
  DEFAULT_USERS,
  formatProperties,
  formatStorageArgs,
  type HarnessUser,
  HOST,
  jvmArgs,
  log4j1Config,
  log4j2Config,
  type NodePorts,
  newClusterId,
  nodePortsFrom,
  nodeSettings,
  PORTS_PER_NODE,
  type SslClientAuth,
  usesLog4j2,
} from './config.js';
import { startKafkaInDocker } from './docker.js';
import { KafkaHarnessError, lastLines } from './errors.js';
import { javaCommand, requireTool, run } from './exec.js';
import { fetchKafka, type KafkaInstallation } from './fetch.js';
import { oauthbearerJvmArgs, oauthbearerJwksSettings } from './oauthbearer.js';
import { freePorts } from './ports.js';
import { BrokerProcess } from './process.js';
import { chooseRuntime, type RuntimeProbes, requestedRuntime, systemProbes } from './runtime.js';
import type {
  KafkaCluster,
  KafkaClusterDescription,
  KafkaListeners,
  KafkaNodeInfo,
  KafkaTls,
  StartKafkaOptions,
} from './types.js';
import { KAFKA_VERSION_ENV, versionCandidates } from './versions.js';
import { waitUntilReady } from './wait.js';

const DEFAULT_HEAP_MB = 512;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const PORT_ATTEMPTS = 3;

interface HarnessNode {
  nodeId: number;
  ports: NodePorts;
  dir: string;
  process: BrokerProcess;
}

const address = (port: number) => `${HOST}:${port}`;

function nodeListeners(ports: NodePorts): KafkaNodeInfo['listeners'] {
  return {
    plaintext: address(ports.plaintext),
    saslPlaintext: address(ports.saslPlaintext),
    ssl: address(ports.ssl),
    saslSsl: address(ports.saslSsl),
  };
}

class HarnessCluster implements KafkaCluster {
  readonly external = false;
  readonly runtime = 'jvm' as const;
  private stopped = false;

  constructor(
    readonly version: string,
    readonly clusterId: string,
    readonly authorizer: boolean,
    readonly users: HarnessUser[],
    readonly tls: KafkaTls,
    private readonly dir: string,
    private readonly harnessNodes: HarnessNode[],
    private readonly startTimeoutMs: number,
  ) {}

  get brokers(): string[] {
    return this.harnessNodes.map((n) => address(n.ports.plaintext));
  }

  get bootstrap(): string {
    return this.brokers.join(',');
  }

  get listeners(): KafkaListeners {
    const all = this.harnessNodes.map((n) => nodeListeners(n.ports));
    return {
      plaintext: all.map((l) => l.plaintext),
      saslPlaintext: all.map((l) => l.saslPlaintext),
      ssl: all.map((l) => l.ssl),
      saslSsl: all.map((l) => l.saslSsl),
    };
  }

  get nodes(): KafkaNodeInfo[] {
    return this.harnessNodes.map((n) => ({
      nodeId: n.nodeId,
      listeners: nodeListeners(n.ports),
      pid: n.process.pid,
      running: n.process.running,
    }));
  }

  private node(nodeId: number): HarnessNode {
    const node = this.harnessNodes.find((n) => n.nodeId === nodeId);
    if (!node) {
      throw new KafkaHarnessError(
        'UNKNOWN_NODE',
        `There is no node ${nodeId}; this cluster's nodes are ${this.harnessNodes.map((n) => n.nodeId).join(', ')}.`,
      );
    }
    return node;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.harnessNodes.map((n) => n.process.stop(STOP_GRACE_MS)));
    await rm(this.dir, { recursive: true, force: true });
  }

  async kill(nodeId: number): Promise<void> {
    await this.node(nodeId).process.kill();
  }

  async restart(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    if (this.stopped)
      throw new KafkaHarnessError('BAD_OPTION', 'restart() after stop(): the cluster is gone.');
    await node.process.stop(STOP_GRACE_MS);
    node.process.start();
    const running = this.harnessNodes.filter((n) => n.process.running).length;
    await waitUntilReady(
      [{ nodeId, plaintextPort: node.ports.plaintext, process: node.process }],
      running,
      this.startTimeoutMs,
    );
  }

  logTail(nodeId: number, lines = 50): Promise<string> {
    return this.node(nodeId).process.logTail(lines);
  }

  describe(): KafkaClusterDescription {
    return {
      version: this.version,
      clusterId: this.clusterId,
      bootstrap: this.bootstrap,
      brokers: this.brokers,
      listeners: this.listeners,
      tls: this.tls,
      users: this.users,
      external: false,
      authorizer: this.authorizer,
      runtime: 'jvm',
      dir: this.dir,
      nodes: this.harnessNodes.map((n) => ({
        ...this.nodes.find((i) => i.nodeId === n.nodeId)!,
        dir: n.dir,
      })),
    };
  }
}

function validate(options: StartKafkaOptions): { nodes: number; heapMb: number; startTimeoutMs: number } {
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 5) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `nodes must be 1 or 3 (a whole number from 1 to 5), got ${nodes}.`,
    );
  }
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  if (!Number.isFinite(heapMb) || heapMb < 128) {
    throw new KafkaHarnessError('BAD_OPTION', `heapMb must be at least 128, got ${heapMb}.`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!Number.isFinite(startTimeoutMs) || startTimeoutMs <= 0) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `startTimeoutMs must be a positive number, got ${startTimeoutMs}.`,
    );
  }
  const auth = options.sslClientAuth;
  if (auth !== undefined && !['none', 'requested', 'required'].includes(auth)) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `sslClientAuth must be 'none', 'requested' or 'required', got ${JSON.stringify(auth)}.`,
    );
  }
  return { nodes, heapMb, startTimeoutMs };
}

/** Writes server.properties and the log4j config of one node; returns the config path. */
async function writeNodeFiles(
  install: KafkaInstallation,
  node: HarnessNode,
  cluster: ReadonlyMap<number, NodePorts>,
  users: readonly HarnessUser[],
  authorizer: boolean,
  tls: TlsFiles,
  overrides: Readonly<Record<string, string | number | boolean>> = {},
  sslClientAuth: SslClientAuth = 'requested',
): Promise<{ configPath: string; log4jPath: string }> {
  await mkdir(node.dir, { recursive: true });
  const configPath = join(node.dir, 'server.properties');
  const settings = nodeSettings({
    version: install.version,
    nodeId: node.nodeId,
    cluster,
    logDir: join(node.dir, 'data'),
    users,
    authorizer,
    tls: { keystorePath: tls.brokerKeystorePath, truststorePath: tls.caPath },
    sslClientAuth,
  });
  for (const [key, value] of Object.entries(overrides)) settings[key] = String(value);
  await writeFile(configPath, formatProperties(settings));
  const logFile = join(node.dir, 'server.log');
  const log4jPath = join(node.dir, usesLog4j2(install.version) ? 'log4j2.xml' : 'log4j.properties');
  await writeFile(log4jPath, usesLog4j2(install.version) ? log4j2Config(logFile) : log4j1Config(logFile));
  return { configPath, log4jPath };
}

async function formatStorage(
  install: KafkaInstallation,
  clusterId: string,
  configPath: string,
  users: readonly HarnessUser[],
): Promise<void> {
  const args = formatStorageArgs({ version: install.version, clusterId, configPath, users });
  const result = await run(javaCommand(), [
    '-Xmx256m',
    '-XX:+UseSerialGC',
    '-cp',
    install.classpath,
    ...args,
  ]);
  if (result.code !== 0) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `Formatting Kafka storage failed (exit ${result.code}): java ... ${args.join(' ')}\n${lastLines(result.output, 40)}`,
    );
  }
}

async function portClash(nodes: readonly HarnessNode[]): Promise<boolean> {
  for (const node of nodes) {
    const log = await readFile(node.process.serverLogPath, 'utf8').catch(() => '');
    if (/BindException|Address already in use/.test(log)) return true;
  }
  return false;
}

/**
 * Starts a fresh KRaft cluster of combined broker+controller nodes on free ports and resolves
 * when every node answers and lists every broker. Call `stop()` when done; brokers are also
 * killed automatically when this process exits (unless `detached`).
 *
 * With Java installed (or `runtime: 'jvm'`) the nodes are local JVMs; without it (or with
 * `runtime: 'docker'`) one `apache/kafka` container is started instead.
 */
export function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  return startKafkaWith(options, systemProbes());
}

/** startKafka() with injectable runtime probes (for unit tests of the route choice). */
export async function startKafkaWith(
  options: StartKafkaOptions,
  probes: RuntimeProbes,
): Promise<KafkaCluster> {
  validate(options);
  // Cheap checks first: a typo in the version or runtime should fail in milliseconds.
  versionCandidates(options.version ?? process.env[KAFKA_VERSION_ENV]);
  const requested = requestedRuntime(options.runtime);
  const runtime = await chooseRuntime(requested, probes);
  if (runtime === 'docker') return startKafkaInDocker(options);
  // Under `auto` the probe has just run `java -version`; no need to start a JVM twice.
  return startKafkaJvm(options, requested === 'auto');
}

async function startKafkaJvm(options: StartKafkaOptions, javaChecked: boolean): Promise<KafkaCluster> {
  const { nodes: nodeCount, heapMb, startTimeoutMs } = validate(options);
  const log = options.log ?? (() => {});
  const authorizer = options.authorizer ?? false;
  const users = DEFAULT_USERS.map((u) => ({ ...u, mechanisms: [...u.mechanisms] }));

  if (!javaChecked) await requireTool(javaCommand(), ['-version']);
  await requireTool('openssl', ['version']);
  const install = await fetchKafka({ version: options.version, cacheDir: options.cacheDir, log });

  const parent = options.dataDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'kafkats-'));
  let nodes: HarnessNode[] = [];
  try {
    const tls = await createTls(join(dir, 'tls'));
    const clusterId = newClusterId(randomBytes);
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const ports = await freePorts(nodeCount * PORTS_PER_NODE);
      const layout = new Map<number, NodePorts>();
      for (let i = 0; i < nodeCount; i++) {
        layout.set(i + 1, nodePortsFrom(ports.slice(i * PORTS_PER_NODE, (i + 1) * PORTS_PER_NODE)));
      }
      nodes = [];
      await Promise.all(
        [...layout.entries()].map(async ([nodeId, nodePorts]) => {
          const nodeDir = join(dir, `node-${nodeId}`);
          await rm(nodeDir, { recursive: true, force: true });
          const node: HarnessNode = { nodeId, ports: nodePorts, dir: nodeDir, process: undefined as never };
          const { configPath, log4jPath } = await writeNodeFiles(
            install,
            node,
            layout,
            users,
            authorizer,
            tls.files,
            { ...oauthbearerJwksSettings(options.oauthbearer), ...options.brokerProperties },
            options.sslClientAuth,
          );
          await formatStorage(install, clusterId, configPath, users);
          node.process = new BrokerProcess({
            nodeId,
            nodeDir,
            classpath: [install.classpath, ...(options.extraClasspath ?? [])].join(delimiter),
            jvmArgs: [
              ...jvmArgs({ heapMb, nodeDir, log4jConfigPath: log4jPath, version: install.version }),
              ...oauthbearerJvmArgs(options.oauthbearer),
            ],
            configPath,
            detached: options.detached ?? false,
          });
          nodes.push(node);
        }),
      );
      nodes.sort((a, b) => a.nodeId - b.nodeId);
      log(`starting Kafka ${install.version} (${nodeCount} node${nodeCount > 1 ? 's' : ''}) in ${dir}`);
      for (const node of nodes) node.process.start();
      try {
        await waitUntilReady(
          nodes.map((n) => ({ nodeId: n.nodeId, plaintextPort: n.ports.plaintext, process: n.process })),
          nodeCount,
          startTimeoutMs,
        );
      } catch (error) {
        const clash = await portClash(nodes);
        await Promise.all(nodes.map((n) => n.process.kill()));
        if (clash && attempt < PORT_ATTEMPTS) {
          log('a port was taken before the broker could bind it; retrying on new ports');
          continue;
        }
        throw error;
      }
      log(
        `Kafka ${install.version} ready at ${nodes.map((n) => address(n.ports.plaintext)).join(',')} in ${Date.now() - started} ms`,
      );
      return new HarnessCluster(
        install.version,
        clusterId,
        authorizer,
        users,
        {
          ...tls.pem,
          caPath: tls.files.caPath,
          certPath: tls.files.clientCertPath,
          keyPath: tls.files.clientKeyPath,
        },
        dir,
        nodes,
        startTimeoutMs,
      );
    }
  } catch (error) {
    await Promise.all(nodes.map((n) => n.process?.kill()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
