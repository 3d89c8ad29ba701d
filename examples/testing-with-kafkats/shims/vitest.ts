/**
 * The Vitest functions the snippets use, on top of node:test: hooks and tests register on
 * node:test's root, `expect` is node:assert, and `inject` reads what a global setup provided
 * through {@link provide}. Only what docs/testing.md needs; not a Vitest replacement.
 */
import assert from 'node:assert/strict';
import { after, before, test as nodeTest } from 'node:test';

const provided = new Map<string, unknown>();

/** What Vitest's `project.provide` does in a global setup. */
export function provide(key: string, value: unknown): void {
  provided.set(key, value);
}

export function inject(key: string): unknown {
  if (!provided.has(key)) throw new Error(`inject('${key}'): no global setup provided it`);
  return provided.get(key);
}

export function beforeAll(fn: () => unknown, timeout?: number): void {
  before(
    async () => {
      await fn();
    },
    { timeout },
  );
}

export function afterAll(fn: () => unknown, timeout?: number): void {
  after(
    async () => {
      await fn();
    },
    { timeout },
  );
}

export function test(name: string, fn: () => unknown, timeout?: number): void {
  nodeTest(name, { timeout }, async () => {
    await fn();
  });
}

export function expect<T>(actual: T) {
  return {
    toBe(expected: T): void {
      assert.ok(Object.is(actual, expected), `expected ${String(actual)} to be ${String(expected)}`);
    },
    toEqual(expected: unknown): void {
      assert.deepStrictEqual(actual, expected);
    },
  };
}
