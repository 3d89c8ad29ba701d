/**
 * Runs the Vitest snippets of docs/testing.md (the files under vitest/) with node:test, without
 * Vitest: shims/hooks.mjs maps `vitest` to shims/vitest.ts. This file plays Vitest's part: it
 * reads vitest.config.ts, runs the global setup with a `provide`, then loads the test files.
 *
 *   node --import tsx --import ./examples/testing-with-kafkats/shims/register.mjs \
 *     --test examples/testing-with-kafkats/vitest-snippets.test.ts
 *
 * What this proves: the snippets type-check (tsc, against shims/frameworks.d.ts) and their setup,
 * teardown and test bodies run against a real broker. What it does not: that Vitest itself
 * schedules them as its documentation says; no Vitest is installed in this repository.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { provide } from './shims/vitest.js';
import setup from './vitest/test/kafka.global-setup.js';
import config from './vitest/vitest.config.js';

const root = join(import.meta.dirname, 'vitest');
const globalSetup = [config.test?.globalSetup ?? []].flat();
assert.deepEqual(globalSetup, ['./test/kafka.global-setup.ts']);
for (const file of globalSetup) assert.ok(existsSync(join(root, file)), `${file} is missing`);

const teardown = await setup({ provide });
after(() => teardown());

// Each file registers its hooks and tests on node:test's root when imported, as in Vitest.
await import('./vitest/test/orders.test.js');
await import('./vitest/test/shared-broker.test.js');
