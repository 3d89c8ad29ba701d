/**
 * Runs the user service's integration test (service.test.ts) with node:test, as a user's CI would:
 *
 *   node --import tsx --test examples/testing-with-kafkats/service.test.ts
 *
 * and then the Vitest and Jest snippets of docs/testing.md (vitest/, jest/), through node:test
 * shims for the few runner APIs they use (shims/; see vitest-snippets.test.ts).
 *
 * This wrapper exists so that every example starts the same way (`npx tsx examples/<name>/index.ts`);
 * KAFKA_BOOTSTRAP_SERVERS, when set, is passed through and the tests attach to that cluster.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const here = import.meta.dirname;
const testFiles = ['service.test.ts', 'vitest-snippets.test.ts', 'jest-snippets.test.ts'].map((f) =>
  join(here, f),
);
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--import',
    join(here, 'shims', 'register.mjs'),
    '--test',
    // One file at a time: without KAFKA_BOOTSTRAP_SERVERS each file may start its own broker.
    '--test-concurrency=1',
    '--test-reporter',
    'spec',
    ...testFiles,
  ],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => {
  if (code === 0) console.log('testing-with-kafkats: OK');
  else console.error(`the test run failed (${signal ?? `exit code ${code}`})`);
  process.exitCode = code ?? 1;
});
