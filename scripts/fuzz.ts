/**
 * Fuzz the decoders at scale:
 *
 *   npm run fuzz -- [--seed N] [--cases N] [--from N] [--state file.json] [--case-ms N]
 *                   [--capture host:port] [--capture-file answers.json]
 *
 * Feeds every response decoder of every API version (through the frame decoder the client uses),
 * the record-set decoders (v2, legacy v0/v1, control batches) and the decompressors with mutated
 * and truncated copies of well-formed inputs built at run time (scripts/fuzz/corpus.ts).
 * Each case must return a value or throw KafkaProtocolError; any other exception is a finding, and
 * so is a case still running after --case-ms (default 2000 ms): the worker running it is
 * terminated and the run goes on from the next case.
 *
 * Seeded and resumable: case N depends only on (seed, N), so `--seed S --from N --cases 1` replays
 * one case, and `--state file` records progress and picks up where an interrupted run stopped.
 * `--capture host:port` first records the answers of a short client session against a live broker
 * (scripts/fuzz/capture.ts) and adds them to the corpus; the cases then depend on that recording
 * too, so keep it with `--capture-file` and pass the same file to replay.
 * Prints cases/s and the findings; exits 1 when there is any.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureAnswers } from './fuzz/capture.js';
import type { CaseResult } from './fuzz/cases.js';
import { type Counts, PROGRESS_BYTES, type WorkerInput, type WorkerMessage } from './fuzz/messages.js';

interface Options {
  seed: number;
  cases: number;
  from: number;
  state: string | undefined;
  caseMs: number;
  capture: string | undefined;
  captureFile: string | undefined;
}

interface Finding {
  index: number;
  kind: 'untyped' | 'hang' | 'crash';
  detail: string;
}

interface State {
  seed: number;
  from: number;
  to: number;
  next: number;
  counts: Counts;
  findings: Finding[];
  elapsedMs: number;
  slowestMs: number;
}

function usage(message: string): never {
  console.error(`fuzz: ${message}`);
  console.error(
    'usage: npm run fuzz -- [--seed N] [--cases N] [--from N] [--state file.json] [--case-ms N] ' +
      '[--capture host:port] [--capture-file answers.json]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    seed: Date.now() % 2 ** 31,
    cases: 100_000,
    from: 0,
    state: undefined,
    caseMs: 2_000,
    capture: undefined,
    captureFile: undefined,
  };
  let seedGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    i++;
    const whole = (name: string, min: number) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < min)
        usage(`${name} must be a whole number >= ${min}, got "${value}"`);
      return n;
    };
    if (flag === '--seed') {
      options.seed = whole('--seed', 0) >>> 0;
      seedGiven = true;
    } else if (flag === '--cases') options.cases = whole('--cases', 1);
    else if (flag === '--from') options.from = whole('--from', 0);
    else if (flag === '--case-ms') options.caseMs = whole('--case-ms', 10);
    else if (flag === '--state') options.state = value;
    else if (flag === '--capture') options.capture = value;
    else if (flag === '--capture-file') options.captureFile = value;
    else usage(`unknown option ${flag}`);
  }
  // Resuming without --seed takes the seed of the interrupted run.
  if (!seedGiven && options.state && existsSync(options.state)) options.seed = loadState(options.state).seed;
  return options;
}

function loadState(path: string): State {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as State;
  } catch (error) {
    return usage(`cannot read the state file ${path}: ${(error as Error).message}`);
  }
}

function initialState(options: Options): State {
  const fresh: State = {
    seed: options.seed,
    from: options.from,
    to: options.from + options.cases,
    next: options.from,
    counts: {},
    findings: [],
    elapsedMs: 0,
    slowestMs: 0,
  };
  if (!options.state || !existsSync(options.state)) return fresh;
  const saved = loadState(options.state);
  if (saved.seed !== fresh.seed || saved.from !== fresh.from || saved.to !== fresh.to) {
    usage(
      `${options.state} belongs to another run (seed ${saved.seed}, cases ${saved.from}..${saved.to}); ` +
        'delete it or pass the same --seed, --from and --cases',
    );
  }
  return saved;
}

function describeFinding(f: Finding, seed: number): string {
  return `  case ${f.index} ${f.kind}: ${f.detail}\n    replay: npm run fuzz -- --seed ${seed} --from ${f.index} --cases 1`;
}

let activeChild: ChildProcess | undefined;
let activeProgressPath: string | undefined;
let corpusShown = false;

/** Runs cases [state.next, state.to) in a child process; resolves when they are done or it stopped early. */
function runWorker(state: State, options: Options, onProgress: () => void): Promise<boolean> {
  const progressPath = join(tmpdir(), `kafkats-fuzz-${process.pid}-${state.next}.bin`);
  writeFileSync(progressPath, Buffer.alloc(PROGRESS_BYTES));
  activeProgressPath = progressPath;
  // Cases that hung or killed a worker are skipped when the next one goes on from the last report.
  const skip = state.findings.filter((f) => f.kind !== 'untyped').map((f) => f.index);
  const input: WorkerInput = {
    seed: state.seed,
    from: state.next,
    to: state.to,
    skip,
    progressPath,
    capturedPath: options.captureFile,
  };
  const child = fork(fileURLToPath(new URL('./fuzz/worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=1024'],
    env: { ...process.env, KAFKATS_FUZZ_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const current = () => {
    const b = readFileSync(progressPath);
    return { index: b.readInt32LE(0), running: b.readInt32LE(4) === 1, start: b.readDoubleLE(8) };
  };
  let started = 0;
  let ready = false;
  activeChild = child;
  return new Promise<boolean>((resolve) => {
    let hung: Finding | undefined;
    const watchdog = setInterval(
      () => {
        const c = current();
        if (!c.running || hung) return;
        const ranFor = Date.now() - c.start;
        if (ranFor <= options.caseMs) return;
        hung = { index: c.index, kind: 'hang', detail: `still running after ${ranFor} ms` };
        child.kill('SIGKILL');
      },
      Math.min(250, options.caseMs / 4),
    );
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready') {
        ready = true;
        started = Date.now();
        if (!corpusShown) {
          corpusShown = true;
          const sizes = Object.entries(m.corpus)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          console.log(`corpus: ${sizes} (built in ${m.buildMs} ms)`);
        }
      } else if (m.type === 'finding') {
        const r: CaseResult = m.result;
        // a case re-run after a later hang or crash reports again
        if (state.findings.some((f) => f.index === r.index && f.kind === 'untyped')) return;
        state.findings.push({
          index: r.index,
          kind: 'untyped',
          detail: `${r.target} "${r.input}" after ${r.steps.join('+')}: ${r.error}`,
        });
      } else {
        for (const [k, n] of Object.entries(m.counts)) state.counts[k] = (state.counts[k] ?? 0) + n;
        state.next = m.next;
        state.slowestMs = Math.max(state.slowestMs, m.slowestMs);
        state.elapsedMs += Date.now() - started;
        started = Date.now();
        onProgress();
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(watchdog);
      activeChild = undefined;
      const c = current();
      rmSync(progressPath, { force: true });
      // The cases run since the last report were not counted: the next worker runs them again.
      if (hung) state.findings.push(hung);
      else if (ready && state.next < state.to && (code !== 0 || signal !== null)) {
        // the process died inside a case: a native crash or running out of memory
        state.findings.push({
          index: c.index,
          kind: 'crash',
          detail: `the process died (${signal ?? `exit ${code}`})`,
        });
      } else if (!ready) console.error(`fuzz: the worker exited (${signal ?? code}) before its first case`);
      resolve(ready);
    });
  });
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const state = initialState(options);
  if (options.capture) {
    // Recorded once per run into a file; pass --capture-file to keep it, and the same file (without
    // --capture) to replay a case of this run: the corpus, and so every case, depends on it.
    options.captureFile ??= join(tmpdir(), `kafkats-fuzz-capture-${process.pid}.json`);
    const answers = await captureAnswers(options.capture);
    writeFileSync(
      options.captureFile,
      JSON.stringify(
        answers.map((a) => ({ apiKey: a.apiKey, version: a.version, frame: a.frame.toString('base64') })),
      ),
    );
    console.log(`captured ${answers.length} answers from ${options.capture} into ${options.captureFile}`);
  } else if (options.captureFile && !existsSync(options.captureFile)) {
    usage(`--capture-file ${options.captureFile} does not exist (record one with --capture host:port)`);
  }
  const save = () => {
    if (options.state) writeFileSync(options.state, `${JSON.stringify(state, null, 2)}\n`);
  };
  console.log(
    `fuzz: seed ${state.seed}, cases ${state.from}..${state.to - 1}` +
      (state.next > state.from ? `, resuming at ${state.next}` : '') +
      `, case limit ${options.caseMs} ms`,
  );
  save();
  // Interrupted: keep what is done, so that the same command with --state goes on from here.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      activeChild?.kill('SIGKILL');
      if (activeProgressPath) rmSync(activeProgressPath, { force: true });
      save();
      console.log(
        `fuzz: interrupted at case ${state.next}${options.state ? `; progress kept in ${options.state}` : ''}`,
      );
      process.exit(130);
    });
  }
  let lastReport = Date.now();
  const total = state.to - state.from;
  while (state.next < state.to) {
    const ready = await runWorker(state, options, () => {
      save();
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        const done = state.next - state.from;
        const rate = done / Math.max(0.001, state.elapsedMs / 1000);
        console.log(
          `  ${done}/${total} cases, ${rate.toFixed(0)} cases/s, ${state.findings.length} findings`,
        );
      }
    });
    save();
    if (!ready) {
      // the worker died before running a case: the corpus itself does not build
      console.error('fuzz: the worker stopped before running any case');
      process.exit(2);
    }
  }
  const done = state.to - state.from;
  const seconds = state.elapsedMs / 1000;
  console.log(
    `fuzz: ${done} cases in ${seconds.toFixed(1)} s, ${(done / Math.max(seconds, 0.001)).toFixed(0)} cases/s`,
  );
  console.log(`  slowest case ${state.slowestMs} ms`);
  for (const [k, n] of Object.entries(state.counts).sort()) console.log(`  ${k}: ${n}`);
  const kinds = (k: Finding['kind']) => state.findings.filter((f) => f.kind === k).length;
  console.log(
    `findings: ${state.findings.length} (untyped errors ${kinds('untyped')}, hangs ${kinds('hang')}, crashes ${kinds('crash')})`,
  );
  for (const f of state.findings.slice(0, 20)) console.log(describeFinding(f, state.seed));
  if (state.findings.length > 20) console.log(`  ... and ${state.findings.length - 20} more`);
  process.exitCode = state.findings.length > 0 ? 1 : 0;
}

await main();
