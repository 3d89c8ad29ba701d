/**
 * Runs the Jest snippets of docs/testing.md (the files under jest/) with node:test, without Jest:
 * shims/hooks.mjs maps `@jest/globals` to shims/jest-globals.ts. This file plays Jest's part: it
 * reads jest.config.cjs, runs globalSetup, loads the test file and runs globalTeardown last.
 *
 *   node --import tsx --import ./examples/testing-with-kafkats/shims/register.mjs \
 *     --test examples/testing-with-kafkats/jest-snippets.test.ts
 *
 * What this proves: the snippets type-check and their setup, teardown and test bodies run
 * against a real broker. What it does not: that Jest itself (with ts-jest or babel) loads them;
 * no Jest is installed in this repository.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after } from 'node:test';
import globalSetup from './jest/test/kafka.global-setup.js';
import globalTeardown from './jest/test/kafka.global-teardown.js';

const rootDir = join(import.meta.dirname, 'jest');
const config = createRequire(import.meta.url)(join(rootDir, 'jest.config.cjs')) as Record<string, unknown>;
for (const key of ['globalSetup', 'globalTeardown'] as const) {
  const file = String(config[key]).replace('<rootDir>', rootDir);
  assert.ok(existsSync(file), `jest.config ${key} points at a missing file: ${file}`);
}

// Jest starts its workers after globalSetup, so their useKafka() sees KAFKA_BOOTSTRAP_SERVERS.
await globalSetup();
after(() => globalTeardown());

await import('./jest/test/orders.test.js');
