/**
 * One broker JVM: spawn, signal, wait for exit, read its log. The process is
 * `java -cp <libs>/* kafka.Kafka server.properties`, run from the node's directory with stdout
 * and stderr appended to `stdout.log` (the JVM's own complaints: bad flags, missing classes) and
 * log4j writing `server.log` (the broker's log).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lastLines } from './errors.js';
import { javaCommand, missingToolError } from './exec.js';
import { trackChild, untrackChild } from './reaper.js';
import type { BrokerHandle } from './wait.js';

export interface BrokerProcessSpec {
  nodeId: number;
  nodeDir: string;
  classpath: string;
  jvmArgs: string[];
  configPath: string;
  /** Keep running after this Node process exits (the CLI). */
  detached: boolean;
}

export class BrokerProcess implements BrokerHandle {
  readonly spec: BrokerProcessSpec;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(spec: BrokerProcessSpec) {
    this.spec = spec;
  }

  get serverLogPath(): string {
    return join(this.spec.nodeDir, 'server.log');
  }

  get stdoutLogPath(): string {
    return join(this.spec.nodeDir, 'stdout.log');
  }

  /** The pid of the running JVM, or undefined when it is not running. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** How the last run ended, for error messages. */
  get exitDescription(): string {
    if (!this.exitInfo) return 'still running';
    return this.exitInfo.signal
      ? `killed by ${this.exitInfo.signal}`
      : `exited with code ${this.exitInfo.code}`;
  }

  start(): void {
    if (this.running) return;
    const out = openSync(this.stdoutLogPath, 'a');
    this.exitInfo = undefined;
    let child: ChildProcess;
    const java = javaCommand();
    try {
      child = spawn(
        java,
        [...this.spec.jvmArgs, '-cp', this.spec.classpath, 'kafka.Kafka', this.spec.configPath],
        {
          cwd: this.spec.nodeDir,
          stdio: ['ignore', out, out],
          detached: this.spec.detached,
        },
      );
    } finally {
      closeSync(out);
    }
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (child.pid !== undefined) untrackChild(child.pid);
        resolve();
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.exitInfo = { code: null, signal: null };
        this.spawnError = error.code === 'ENOENT' ? missingToolError(java, error) : error;
        resolve();
      });
    });
    if (child.pid !== undefined) {
      if (this.spec.detached) child.unref();
      else trackChild(child.pid);
    }
  }

  /** Set when `java` could not be spawned at all. */
  spawnError: Error | undefined;

  /** Resolves when the current run has ended. */
  waitForExit(): Promise<void> {
    return this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.running || this.child?.pid === undefined) return;
    try {
      process.kill(this.child.pid, signal);
    } catch {
      // exited between the check and the kill
    }
  }

  /** SIGTERM (Kafka's controlled shutdown), then SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** The last `lines` of the broker's server.log. */
  async logTail(lines: number): Promise<string> {
    return lastLines(await readFile(this.serverLogPath, 'utf8').catch(() => ''), lines);
  }

  /** The tail of server.log, plus the JVM's stdout/stderr tail when it has any: for error messages. */
  async failureLog(lines: number): Promise<string> {
    const read = (path: string) => readFile(path, 'utf8').catch(() => '');
    const [server, stdout] = await Promise.all([read(this.serverLogPath), read(this.stdoutLogPath)]);
    const parts = [];
    if (stdout.trim() !== '') parts.push(`--- ${this.stdoutLogPath} ---\n${lastLines(stdout, lines)}`);
    parts.push(`--- ${this.serverLogPath} ---\n${lastLines(server, lines)}`);
    return parts.join('\n');
  }
}
