import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaHarnessError } from './errors.js';

/**
 * The java executable the JVM route runs: `$JAVA_HOME/bin/java` when JAVA_HOME points at a JDK or
 * JRE (as Kafka's own launch scripts prefer), else `java` from PATH.
 */
export function javaCommand(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  const home = env.JAVA_HOME?.trim();
  if (home) {
    const candidate = join(home, 'bin', 'java');
    if (exists(candidate)) return candidate;
  }
  return 'java';
}

/** What to install when a command is missing; Debian package names, as on CI. */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  java: 'Install a Java runtime (17 or newer): apt-get install -y openjdk-17-jre-headless maven',
  mvn: 'Install Maven, which downloads the Kafka jars: apt-get install -y openjdk-17-jre-headless maven',
  openssl: 'Install OpenSSL, which makes the test certificates: apt-get install -y openssl',
};

export function missingToolError(command: string, cause?: unknown): KafkaHarnessError {
  const hint =
    INSTALL_HINTS[command.endsWith('/java') ? 'java' : command] ??
    `Install ${command} and make sure it is on PATH.`;
  return new KafkaHarnessError(
    'MISSING_TOOL',
    `The Kafka test harness needs \`${command}\`, which was not found on PATH. ${hint}`,
    { cause },
  );
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs a command to completion, collecting stdout and stderr interleaved (the order a person
 * reading a failure expects). A missing executable becomes a MISSING_TOOL error.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    // A stuck command (a `docker` whose daemon socket never answers) must not hang the caller.
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? missingToolError(command, error) : error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** Fails fast with an install hint when a command is not on PATH, before any long work starts. */
export async function requireTool(command: string, versionArgs: readonly string[]): Promise<void> {
  await run(command, versionArgs);
}
