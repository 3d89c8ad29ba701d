import { spawn } from 'node:child_process';
import { KafkaHarnessError } from './errors.js';

/** What to install when a command is missing; Debian package names, as on CI. */
const INSTALL_HINTS: Readonly<Record<string, string>> = {
  java: 'Install a Java runtime (17 or newer): apt-get install -y openjdk-17-jre-headless maven',
  mvn: 'Install Maven, which downloads the Kafka jars: apt-get install -y openjdk-17-jre-headless maven',
  openssl: 'Install OpenSSL, which makes the test certificates: apt-get install -y openssl',
};

export function missingToolError(command: string, cause?: unknown): KafkaHarnessError {
  const hint = INSTALL_HINTS[command] ?? `Install ${command} and make sure it is on PATH.`;
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
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? missingToolError(command, error) : error);
    });
    child.on('close', (code, signal) =>
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

/** Fails fast with an install hint when a command is not on PATH, before any long work starts. */
export async function requireTool(command: string, versionArgs: readonly string[]): Promise<void> {
  await run(command, versionArgs);
}
