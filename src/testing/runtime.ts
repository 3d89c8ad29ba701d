/**
 * Choosing how startKafka() runs Kafka: local JVMs (the default whenever Java is installed) or the
 * `apache/kafka` docker image (when Java is not, but a docker daemon answers). The probes are
 * injected so that the decision can be unit-tested on a machine with neither.
 */
import { KafkaHarnessError } from './errors.js';
import { javaCommand, run } from './exec.js';
import type { KafkaRuntime } from './types.js';

/** The environment variable that picks the runtime when the `runtime` option is not given. */
export const RUNTIME_ENV = 'KAFKATS_RUNTIME';

const RUNTIMES: readonly KafkaRuntime[] = ['auto', 'jvm', 'docker'];

/** The answer of one probe: whether the tool works, and if not, what was seen (for the error). */
export interface ProbeResult {
  available: boolean;
  detail: string;
}

/** How the harness looks for Java and Docker; replaced by fakes in unit tests. */
export interface RuntimeProbes {
  /** `$JAVA_HOME/bin/java -version` (or `java -version` from PATH) exits 0. */
  java(): Promise<ProbeResult>;
  /** `docker version` exits 0, which needs both the CLI and a daemon that answers. */
  docker(): Promise<ProbeResult>;
}

const PROBE_TIMEOUT_MS = 15_000;

const INSTALL_JVM =
  'Java 17+ with Maven and OpenSSL (apt-get install -y openjdk-17-jre-headless maven openssl)';
const INSTALL_DOCKER =
  'Docker with a running daemon (https://docs.docker.com/engine/install/; `docker version` must show a Server)';

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}

async function probe(command: string, args: readonly string[]): Promise<ProbeResult> {
  try {
    const result = await run(command, args, { timeoutMs: PROBE_TIMEOUT_MS });
    if (result.code === 0) return { available: true, detail: `${command} ${args.join(' ')}: ok` };
    const how = result.signal ? `timed out after ${PROBE_TIMEOUT_MS} ms` : `exit ${result.code}`;
    return {
      available: false,
      detail: `\`${command} ${args.join(' ')}\` failed (${how}): ${lastLine(result.output)}`,
    };
  } catch (error) {
    const missing = error instanceof KafkaHarnessError && error.code === 'MISSING_TOOL';
    return {
      available: false,
      detail: missing ? `\`${command}\` is not on PATH` : `\`${command}\` could not run: ${String(error)}`,
    };
  }
}

/** The probes that run the real commands. */
export function systemProbes(env: NodeJS.ProcessEnv = process.env): RuntimeProbes {
  return {
    java: () => probe(javaCommand(env), ['-version']),
    docker: () => probe('docker', ['version', '--format', '{{.Server.Version}}']),
  };
}

/** The runtime asked for: the option, else `$KAFKATS_RUNTIME`, else `auto`; anything else is rejected. */
export function requestedRuntime(
  option: KafkaRuntime | undefined,
  env: NodeJS.ProcessEnv = process.env,
): KafkaRuntime {
  const fromEnv = env[RUNTIME_ENV]?.trim();
  const value = option ?? (fromEnv === '' ? undefined : fromEnv) ?? 'auto';
  if (!(RUNTIMES as readonly string[]).includes(value)) {
    const source = option === undefined ? `${RUNTIME_ENV}=${value}` : `runtime: '${value}'`;
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `${source} is not a runtime; use 'auto' (the default), 'jvm' or 'docker'.`,
    );
  }
  return value as KafkaRuntime;
}

/** The error when neither route can run: it says what to install, and the attach alternative. */
export function noRuntimeError(java: ProbeResult, docker: ProbeResult): KafkaHarnessError {
  return new KafkaHarnessError(
    'MISSING_TOOL',
    [
      'The Kafka test harness found neither Java nor Docker, so it cannot start Kafka.',
      `  java: ${java.detail}`,
      `  docker: ${docker.detail}`,
      `Install ${INSTALL_JVM} to run Kafka as a local JVM (the usual route), or ${INSTALL_DOCKER} ` +
        'to run the apache/kafka image; or start a Kafka yourself and set KAFKA_BOOTSTRAP_SERVERS ' +
        'so that useKafka() attaches to it.',
    ].join('\n'),
  );
}

/** The error of an explicit `runtime: 'docker'` when docker does not answer. */
export function dockerUnavailableError(docker: ProbeResult): KafkaHarnessError {
  return new KafkaHarnessError(
    'MISSING_TOOL',
    `runtime 'docker' was asked for, but docker does not answer:\n  ${docker.detail}\n` +
      `Install ${INSTALL_DOCKER}, or use runtime 'jvm' (needs ${INSTALL_JVM}).`,
  );
}

/**
 * `jvm` is taken as asked (the JVM route then names whatever is missing: java, mvn, openssl).
 * `docker` must answer `docker version`. `auto` prefers the JVM when Java runs, since that route
 * offers every listener and multi-node clusters; then Docker; otherwise it fails with what to install.
 */
export async function chooseRuntime(
  requested: KafkaRuntime,
  probes: RuntimeProbes,
): Promise<Exclude<KafkaRuntime, 'auto'>> {
  if (requested === 'jvm') return 'jvm';
  if (requested === 'docker') {
    const docker = await probes.docker();
    if (!docker.available) throw dockerUnavailableError(docker);
    return 'docker';
  }
  const java = await probes.java();
  if (java.available) return 'jvm';
  const docker = await probes.docker();
  if (docker.available) return 'docker';
  throw noRuntimeError(java, docker);
}
