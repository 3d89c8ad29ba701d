/**
 * The fuzz worker, a child process: builds the corpus, then runs cases [from, to) and reports to
 * the parent over IPC. Before each case it writes the case index and start time into a small
 * file, so that the parent can name the case that hung or crashed the process and go on after it
 * (a synchronous decoder stuck in a loop cannot be interrupted from inside). A child process
 * rather than a worker thread: @napi-rs/snappy 1.0.2 segfaults when a worker thread that loaded
 * it exits.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { runCase } from './cases.js';
import { buildCorpus } from './corpus.js';
import { type Counts, PROGRESS_BYTES, type WorkerInput, type WorkerMessage } from './messages.js';

const input = JSON.parse(process.env.KAFKATS_FUZZ_INPUT ?? '') as WorkerInput;
const post = (m: WorkerMessage) => process.send!(m);
const fd = openSync(input.progressPath, 'r+');
const progress = Buffer.alloc(PROGRESS_BYTES);
const mark = (index: number, running: boolean, start: number) => {
  progress.writeInt32LE(index, 0);
  progress.writeInt32LE(running ? 1 : 0, 4);
  progress.writeDoubleLE(start, 8);
  writeSync(fd, progress, 0, PROGRESS_BYTES, 0);
};

const t0 = Date.now();
const corpus = await buildCorpus(input.capturedPath);
post({
  type: 'ready',
  corpus: {
    response: corpus.response.length,
    records: corpus.records.length,
    compressed: corpus.compressed.length,
  },
  buildMs: Date.now() - t0,
});

let counts: Counts = {};
let slowestMs = 0;
let lastPost = Date.now();
const skip = new Set(input.skip);
for (let i = input.from; i < input.to; i++) {
  if (skip.has(i)) continue;
  const start = Date.now();
  mark(i, true, start);
  const result = runCase(corpus, input.seed, i);
  mark(i, false, start);
  slowestMs = Math.max(slowestMs, Date.now() - start);
  const key = `${result.target} ${result.outcome}`;
  counts[key] = (counts[key] ?? 0) + 1;
  if (result.outcome === 'untyped') post({ type: 'finding', result });
  if (Date.now() - lastPost > 500) {
    post({ type: 'progress', next: i + 1, counts, slowestMs });
    counts = {};
    // let the IPC channel flush
    await new Promise((resolve) => setImmediate(resolve));
    lastPost = Date.now();
  }
}
post({ type: 'progress', next: input.to, counts, slowestMs });
closeSync(fd);
process.disconnect();
