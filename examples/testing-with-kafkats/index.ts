/**
 * Runs the user service's integration test (service.test.ts) with node:test, as a user's CI would:
 *
 *   node --import tsx --test examples/testing-with-kafkats/service.test.ts
 *
 * This wrapper exists so that every example starts the same way (`npx tsx examples/<name>/index.ts`);
 * KAFKA_BOOTSTRAP_SERVERS, when set, is passed through and the test attaches to that cluster.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const testFile = join(import.meta.dirname, 'service.test.ts');
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter', 'spec', testFile], {
  stdio: 'inherit',
});
child.on('exit', (code, signal) => {
  if (code === 0) console.log('testing-with-kafkats: OK');
  else console.error(`the test run failed (${signal ?? `exit code ${code}`})`);
  process.exitCode = code ?? 1;
});
