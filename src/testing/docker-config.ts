/**
 * The docker route's commands, as pure functions: which options it refuses, the environment the
 * `apache/kafka` image turns into server.properties, and the `docker` argument lists. Nothing here
 * runs docker, so every argument is checked by unit tests on machines without a daemon.
 */

import { HOST, replicationSettings, testBrokerSettings } from './config.js';
import { KafkaHarnessError } from './errors.js';
import type { StartKafkaOptions } from './types.js';

/** The image the docker route runs; its tags are Kafka releases (`apache/kafka:4.0.0`). */
export const DEFAULT_DOCKER_IMAGE = 'apache/kafka';

/** Label on every container the harness starts, so that `docker ps --filter label=...` finds them. */
export const CONTAINER_LABEL = 'kafkats.testing';

/** Where the container keeps its log segments (inside the container, writable by its user). */
export const CONTAINER_LOG_DIR = '/tmp/kraft-combined-logs';

/** Seconds `docker stop` waits for a controlled shutdown before it kills. */
export const DOCKER_STOP_SECONDS = 15;

/**
 * Variables the image's start scripts read themselves instead of rendering them into
 * server.properties (its kafka-propertiesSpec.json excludes them). A broker property whose
 * variable name would be one of these cannot be passed.
 */
export const IMAGE_RESERVED_ENV: readonly string[] = [
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
];

/**
 * The image's rule for naming a server.properties key as an environment variable: `_` becomes
 * `__`, `-` becomes `___`, `.` becomes `_`, upper case, `KAFKA_` in front.
 * `log.dirs` → `KAFKA_LOG_DIRS`, `abc-def` → `KAFKA_ABC___DEF`, `abc_def` → `KAFKA_ABC__DEF`.
 */
export function kafkaEnvName(property: string): string {
  const name = property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase();
  return `KAFKA_${name}`;
}

const unsupported = (option: string, why: string) =>
  new KafkaHarnessError(
    'UNSUPPORTED_OPTION',
    `The docker route of startKafka() does not support ${option}: ${why} ` +
      "Use runtime: 'jvm' (Java 17+, Maven and OpenSSL), or drop the option.",
  );

/**
 * Refuses, before anything starts, every option the docker route cannot honour, naming it.
 * Silently running a single PLAINTEXT node when a test asked for three nodes or an authorizer
 * would make that test pass or fail for the wrong reason.
 */
export function checkDockerOptions(options: StartKafkaOptions): void {
  if (options.nodes !== undefined && options.nodes !== 1) {
    throw unsupported(`nodes: ${options.nodes}`, 'it runs one combined broker+controller container.');
  }
  if (options.authorizer) {
    throw unsupported(
      'authorizer: true',
      'it has only a PLAINTEXT listener, where every client is the same ANONYMOUS principal.',
    );
  }
  if (options.oauthbearer) {
    throw unsupported('oauthbearer', 'it has no SASL listener.');
  }
  if (options.extraClasspath?.length) {
    throw unsupported('extraClasspath', 'the image runs its own class path; plugins need the JVM route.');
  }
  if (options.dataDir !== undefined) {
    throw unsupported('dataDir', "the broker's data lives inside the container.");
  }
  if (options.cacheDir !== undefined) {
    throw unsupported('cacheDir', 'docker keeps the image in its own cache; there are no jars to cache.');
  }
  for (const key of Object.keys(options.brokerProperties ?? {})) {
    if (IMAGE_RESERVED_ENV.includes(kafkaEnvName(key))) {
      throw unsupported(
        `brokerProperties['${key}']`,
        `the image reads ${kafkaEnvName(key)} itself instead of writing it to server.properties.`,
      );
    }
  }
}

/**
 * The controller's port inside the container. It is never published; it only has to differ from
 * the PLAINTEXT port, which inside the container is the same number as on the host.
 */
export function controllerPort(hostPort: number): number {
  return hostPort === 9093 ? 9094 : 9093;
}

export interface DockerEnvInput {
  version: string;
  clusterId: string;
  /** The host port clients use; the container listens on the same number (see dockerKafkaEnv). */
  hostPort: number;
  heapMb: number;
  brokerProperties?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The container's environment. The PLAINTEXT listener binds the host port's number inside the
 * container too and advertises `127.0.0.1:<port>`: clients on the host reach it through the
 * published port, and the broker reaches itself at the same address inside the container (its
 * transaction markers and inter-broker requests go to the advertised address), so one listener
 * serves both without a separate internal one.
 */
export function dockerKafkaEnv(input: DockerEnvInput): Record<string, string> {
  const controller = controllerPort(input.hostPort);
  const heap = Math.max(128, Math.floor(input.heapMb));
  const properties: Record<string, string> = {
    'node.id': '1',
    'process.roles': 'broker,controller',
    listeners: `PLAINTEXT://0.0.0.0:${input.hostPort},CONTROLLER://0.0.0.0:${controller}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${input.hostPort}`,
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'controller.quorum.voters': `1@${HOST}:${controller}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': CONTAINER_LOG_DIR,
    ...replicationSettings(1),
    ...testBrokerSettings(input.version),
  };
  for (const [key, value] of Object.entries(input.brokerProperties ?? {})) properties[key] = String(value);
  const env: Record<string, string> = {
    // The image formats the storage with this id on first start (and skips it on `docker start`).
    CLUSTER_ID: input.clusterId,
    KAFKA_HEAP_OPTS: `-Xmx${heap}m -Xms${Math.min(256, heap)}m`,
  };
  for (const [key, value] of Object.entries(properties)) env[kafkaEnvName(key)] = value;
  return env;
}

/** A container name that is unique per cluster and valid for docker (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`). */
export function containerName(clusterId: string): string {
  return `kafkats-${clusterId.replace(/[^a-zA-Z0-9_.-]/g, '')}`;
}

/** `image:tag`, where the tag is the exact Kafka release. */
export function imageRef(image: string, version: string): string {
  return `${image}:${version}`;
}

export interface DockerRunInput {
  image: string;
  version: string;
  name: string;
  clusterId: string;
  hostPort: number;
  env: Readonly<Record<string, string>>;
}

/**
 * `docker run -d`: detached, labelled, the PLAINTEXT port published on 127.0.0.1 only (a test
 * broker with no authentication should not listen on every interface). Not `--rm`: restart()
 * starts the same container again, with its data.
 */
export function dockerRunArgs(input: DockerRunInput): string[] {
  const args = [
    'run',
    '--detach',
    '--name',
    input.name,
    '--label',
    `${CONTAINER_LABEL}=true`,
    '--label',
    `${CONTAINER_LABEL}.cluster-id=${input.clusterId}`,
    '--publish',
    `${HOST}:${input.hostPort}:${input.hostPort}`,
  ];
  for (const [key, value] of Object.entries(input.env)) args.push('--env', `${key}=${value}`);
  args.push(imageRef(input.image, input.version));
  return args;
}

/** The other commands of a container's life, by name. */
export const dockerCommands = {
  imageInspect: (ref: string) => ['image', 'inspect', '--format', '{{.Id}}', ref],
  pull: (ref: string) => ['pull', ref],
  state: (name: string) => [
    'inspect',
    '--format',
    '{{.State.Running}} {{.State.ExitCode}} {{.State.OOMKilled}}',
    name,
  ],
  logs: (name: string, lines: number) => ['logs', '--tail', String(Math.max(1, Math.floor(lines))), name],
  stop: (name: string) => ['stop', '--time', String(DOCKER_STOP_SECONDS), name],
  kill: (name: string) => ['kill', '--signal', 'KILL', name],
  start: (name: string) => ['start', name],
  remove: (name: string) => ['rm', '--force', '--volumes', name],
} as const;

/** A container's state, from {@link dockerCommands.state}'s output. */
export interface ContainerState {
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
}

/** Parses `true 0 false`; undefined when the output is not that (the container is gone). */
export function parseContainerState(output: string): ContainerState | undefined {
  const match = /^(true|false) (-?\d+) (true|false)$/m.exec(output.trim());
  if (!match) return undefined;
  return { running: match[1] === 'true', exitCode: Number(match[2]), oomKilled: match[3] === 'true' };
}

/** True when `docker run` failed because the host port was taken between choosing and binding it. */
export function isPortClash(output: string): boolean {
  return /port is already allocated|address already in use/i.test(output);
}
