/**
 * The docker route of startKafka(): one `apache/kafka` container in KRaft combined mode with a
 * PLAINTEXT listener on a free host port. Readiness is the JVM route's own check (ApiVersions,
 * then Metadata listing the broker); stop/kill/restart map to docker stop/kill/start.
 *
 * Every docker command goes through an injected runner, so that the sequence can be unit-tested
 * without a daemon. This project's CI has no docker, so the route has never run against a real
 * daemon there (docs/testing-harness.md says so too).
 */
import { randomBytes } from 'node:crypto';
import { HOST, newClusterId } from './config.js';
import {
  checkDockerOptions,
  containerName,
  DEFAULT_DOCKER_IMAGE,
  dockerCommands,
  dockerKafkaEnv,
  dockerRunArgs,
  imageRef,
  isPortClash,
  parseContainerState,
} from './docker-config.js';
import { KafkaHarnessError, lastLines } from './errors.js';
import { type RunResult, run } from './exec.js';
import { freePorts } from './ports.js';
import { trackContainer, untrackContainer } from './reaper.js';
import type {
  KafkaCluster,
  KafkaClusterDescription,
  KafkaListeners,
  KafkaNodeInfo,
  KafkaTls,
  StartKafkaOptions,
} from './types.js';
import { KAFKA_VERSION_ENV, versionCandidates } from './versions.js';
import { type BrokerHandle, type ReadinessTarget, waitUntilReady } from './wait.js';

const DEFAULT_HEAP_MB = 512;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const PORT_ATTEMPTS = 3;
/** `docker pull` of a Kafka image can take minutes on a slow network; other commands are quick. */
const PULL_TIMEOUT_MS = 600_000;
const COMMAND_TIMEOUT_MS = 60_000;
const STATE_REFRESH_MS = 1_000;

/** What the docker route needs from the outside world; replaced by fakes in unit tests. */
export interface DockerDeps {
  /** Runs `docker <args>` to completion. */
  docker(args: readonly string[], timeoutMs: number): Promise<RunResult>;
  /** One free TCP port on 127.0.0.1. */
  freePort(): Promise<number>;
  /** Waits until the broker answers; the JVM route's check by default. */
  waitUntilReady(targets: readonly ReadinessTarget[], brokerCount: number, timeoutMs: number): Promise<void>;
  /** Registers / forgets a container that must not outlive this process. */
  track(name: string): void;
  untrack(name: string): void;
  /** 16 random bytes for the cluster id. */
  random(n: number): Uint8Array;
}

export const systemDockerDeps: DockerDeps = {
  docker: (args, timeoutMs) => run('docker', args, { timeoutMs }),
  freePort: async () => (await freePorts(1))[0]!,
  waitUntilReady,
  track: trackContainer,
  untrack: untrackContainer,
  random: randomBytes,
};

function dockerFailed(what: string, args: readonly string[], result: RunResult): KafkaHarnessError {
  const how = result.signal ? `killed by ${result.signal} (timed out)` : `exit ${result.code}`;
  return new KafkaHarnessError(
    'DOCKER_FAILED',
    `${what} failed (${how}): docker ${args.join(' ')}\n${lastLines(result.output, 40)}`,
  );
}

/** One container, seen as a broker by the readiness check. */
export class DockerNode implements BrokerHandle {
  running = false;
  readonly spawnError: Error | undefined = undefined;
  private exitCode: number | undefined;
  private oomKilled = false;
  private refreshedAt = 0;

  constructor(
    readonly name: string,
    private readonly deps: DockerDeps,
  ) {}

  get exitDescription(): string {
    if (this.running) return 'still running';
    if (this.oomKilled) return 'was killed for lack of memory (OOMKilled)';
    return this.exitCode === undefined ? 'is gone' : `exited with code ${this.exitCode}`;
  }

  /** Asks docker whether the container still runs, at most once a second. */
  async refresh(): Promise<void> {
    if (Date.now() - this.refreshedAt < STATE_REFRESH_MS) return;
    this.refreshedAt = Date.now();
    const result = await this.deps.docker(dockerCommands.state(this.name), COMMAND_TIMEOUT_MS);
    const state = result.code === 0 ? parseContainerState(result.output) : undefined;
    if (state) {
      this.running = state.running;
      this.exitCode = state.exitCode;
      this.oomKilled = state.oomKilled;
    } else if (result.code !== 0 && /no such (object|container)/i.test(result.output)) {
      this.running = false;
      this.exitCode = undefined;
    }
    // Any other failure (a slow daemon) leaves the last known state: readiness times out instead.
  }

  /** Forces the next refresh() to ask docker (after start/stop/kill). */
  markChanged(running: boolean): void {
    this.running = running;
    this.refreshedAt = Date.now();
  }

  async logTail(lines: number): Promise<string> {
    const result = await this.deps.docker(dockerCommands.logs(this.name, lines), COMMAND_TIMEOUT_MS);
    return lastLines(result.output, lines);
  }

  async failureLog(lines: number): Promise<string> {
    return `--- docker logs ${this.name} ---\n${await this.logTail(lines)}`;
  }
}

const notOnDocker = (what: string) =>
  new KafkaHarnessError(
    'UNSUPPORTED_OPTION',
    `${what} is not available on the docker route, which runs a PLAINTEXT listener only. ` +
      "Use startKafka({ runtime: 'jvm' }) (Java 17+, Maven and OpenSSL) for TLS and SASL.",
  );

class DockerCluster implements KafkaCluster {
  readonly external = false;
  readonly authorizer = false;
  readonly runtime = 'docker' as const;
  /** No SASL listener, so no SASL users. */
  readonly users = [];
  private stopped = false;

  constructor(
    readonly version: string,
    readonly clusterId: string,
    private readonly node: DockerNode,
    private readonly port: number,
    private readonly startTimeoutMs: number,
    private readonly deps: DockerDeps,
    private readonly detached: boolean,
  ) {}

  get brokers(): string[] {
    return [`${HOST}:${this.port}`];
  }

  get bootstrap(): string {
    return this.brokers.join(',');
  }

  /** PLAINTEXT only: reading another listener throws instead of handing a test an empty list. */
  get listeners(): KafkaListeners {
    const plaintext = this.brokers;
    return {
      plaintext,
      get saslPlaintext(): string[] {
        throw notOnDocker('listeners.saslPlaintext');
      },
      get ssl(): string[] {
        throw notOnDocker('listeners.ssl');
      },
      get saslSsl(): string[] {
        throw notOnDocker('listeners.saslSsl');
      },
    };
  }

  get tls(): KafkaTls {
    throw notOnDocker('tls');
  }

  get nodes(): KafkaNodeInfo[] {
    return [
      {
        nodeId: 1,
        listeners: { plaintext: this.brokers[0]!, saslPlaintext: '', ssl: '', saslSsl: '' },
        pid: undefined,
        running: this.node.running,
        container: this.node.name,
      },
    ];
  }

  private check(nodeId: number): void {
    if (nodeId !== 1) {
      throw new KafkaHarnessError(
        'UNKNOWN_NODE',
        `There is no node ${nodeId}; this cluster's only node is 1.`,
      );
    }
  }

  private async docker(what: string, args: readonly string[]): Promise<void> {
    const result = await this.deps.docker(args, COMMAND_TIMEOUT_MS);
    if (result.code !== 0) throw dockerFailed(what, args, result);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // `docker stop` sends SIGTERM (Kafka's controlled shutdown) and kills after the grace period.
    await this.deps.docker(dockerCommands.stop(this.node.name), COMMAND_TIMEOUT_MS);
    await this.docker('Removing the Kafka container', dockerCommands.remove(this.node.name));
    this.node.markChanged(false);
    if (!this.detached) this.deps.untrack(this.node.name);
  }

  async kill(nodeId: number): Promise<void> {
    this.check(nodeId);
    if (!this.node.running) return;
    await this.docker('Killing the Kafka container', dockerCommands.kill(this.node.name));
    this.node.markChanged(false);
  }

  async restart(nodeId: number): Promise<void> {
    this.check(nodeId);
    if (this.stopped)
      throw new KafkaHarnessError('BAD_OPTION', 'restart() after stop(): the cluster is gone.');
    if (this.node.running)
      await this.docker('Stopping the Kafka container', dockerCommands.stop(this.node.name));
    // The container keeps its port mapping and its data; its start script skips the format step.
    await this.docker('Starting the Kafka container', dockerCommands.start(this.node.name));
    this.node.markChanged(true);
    await this.deps.waitUntilReady(
      [{ nodeId: 1, plaintextPort: this.port, process: this.node }],
      1,
      this.startTimeoutMs,
    );
  }

  logTail(nodeId: number, lines = 50): Promise<string> {
    this.check(nodeId);
    return this.node.logTail(lines);
  }

  describe(): KafkaClusterDescription {
    return {
      version: this.version,
      clusterId: this.clusterId,
      bootstrap: this.bootstrap,
      brokers: this.brokers,
      listeners: { plaintext: this.brokers, saslPlaintext: [], ssl: [], saslSsl: [] },
      tls: { ca: '', cert: '', key: '' },
      users: [],
      external: false,
      authorizer: false,
      runtime: 'docker',
      nodes: this.nodes,
    };
  }
}

/** The first candidate release whose image is present locally or can be pulled. */
async function resolveImage(
  image: string,
  candidates: readonly string[],
  deps: DockerDeps,
  log: (line: string) => void,
): Promise<string> {
  const failures: string[] = [];
  for (const version of candidates) {
    const ref = imageRef(image, version);
    if ((await deps.docker(dockerCommands.imageInspect(ref), COMMAND_TIMEOUT_MS)).code === 0) return version;
    log(`pulling ${ref}`);
    const pulled = await deps.docker(dockerCommands.pull(ref), PULL_TIMEOUT_MS);
    if (pulled.code === 0) return version;
    failures.push(`${ref}: ${lastLines(pulled.output, 3)}`);
  }
  throw new KafkaHarnessError(
    'DOCKER_FAILED',
    `No Kafka image could be pulled (tried ${candidates.map((v) => imageRef(image, v)).join(', ')}). ` +
      `Check that the docker daemon can reach Docker Hub, or pick a published release with ${KAFKA_VERSION_ENV}.\n` +
      failures.join('\n'),
  );
}

/**
 * Starts one Kafka container and resolves when it answers. Call this through
 * `startKafka({ runtime: 'docker' })`, which also validates the common options.
 */
export async function startKafkaInDocker(
  options: StartKafkaOptions = {},
  deps: DockerDeps = systemDockerDeps,
): Promise<KafkaCluster> {
  checkDockerOptions(options);
  const log = options.log ?? (() => {});
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const detached = options.detached ?? false;
  const image = options.dockerImage ?? DEFAULT_DOCKER_IMAGE;
  const candidates = versionCandidates(options.version ?? process.env[KAFKA_VERSION_ENV]);
  const version = await resolveImage(image, candidates, deps, log);
  const clusterId = newClusterId(deps.random);
  const name = containerName(clusterId);

  for (let attempt = 1; ; attempt++) {
    const hostPort = await deps.freePort();
    const env = dockerKafkaEnv({
      version,
      clusterId,
      hostPort,
      heapMb,
      brokerProperties: options.brokerProperties,
    });
    const args = dockerRunArgs({ image, version, name, clusterId, hostPort, env });
    log(`starting ${imageRef(image, version)} as ${name} on ${HOST}:${hostPort}`);
    const started = Date.now();
    const result = await deps.docker(args, COMMAND_TIMEOUT_MS);
    if (result.code !== 0) {
      // A failed `docker run` can leave a created-but-not-started container behind.
      await deps.docker(dockerCommands.remove(name), COMMAND_TIMEOUT_MS);
      if (isPortClash(result.output) && attempt < PORT_ATTEMPTS) {
        log('the port was taken before docker could publish it; retrying on a new port');
        continue;
      }
      throw dockerFailed('Starting the Kafka container', args, result);
    }
    if (!detached) deps.track(name);
    const node = new DockerNode(name, deps);
    node.markChanged(true);
    try {
      await deps.waitUntilReady([{ nodeId: 1, plaintextPort: hostPort, process: node }], 1, startTimeoutMs);
    } catch (error) {
      await deps.docker(dockerCommands.remove(name), COMMAND_TIMEOUT_MS);
      if (!detached) deps.untrack(name);
      throw error;
    }
    log(`Kafka ${version} (docker) ready at ${HOST}:${hostPort} in ${Date.now() - started} ms`);
    return new DockerCluster(version, clusterId, node, hostPort, startTimeoutMs, deps, detached);
  }
}
