/**
 * Runs one of apps/ in the scratch project as its own node process (as a user's service runs)
 * and reads the JSON it prints on its `RESULT ` line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface AppOutcome<T> {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The JSON after `RESULT ` on the last such line, or undefined when the app printed none. */
  result: T | undefined;
}

const RESULT_PREFIX = 'RESULT ';

export function runApp<T>(
  cwd: string,
  file: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
  nodeArgs: string[] = [],
): Promise<AppOutcome<T>> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...nodeArgs, join(cwd, file)], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split('\n')
        .filter((l) => l.startsWith(RESULT_PREFIX))
        .pop();
      const result = line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
      done({ code, signal, stdout, stderr, result });
    });
  });
}

/** The output of a failed app, for an assertion message. */
export function describeOutcome(outcome: AppOutcome<unknown>): string {
  const tail = (text: string) => text.split('\n').slice(-60).join('\n');
  return `exit ${outcome.signal ?? outcome.code}\n--- stdout (tail)\n${tail(outcome.stdout)}\n--- stderr (tail)\n${tail(outcome.stderr)}`;
}
