/**
 * The few Vitest and Jest APIs that the snippets of docs/testing.md use, declared so that the
 * snippet files (vitest/, jest/) type-check without either runner installed. Signatures follow
 * the runners' documentation (Vitest 3, Jest 29); at run time shims/hooks.mjs maps the same
 * specifiers to node:test-based shims (shims/*.ts).
 */
declare module 'vitest' {
  /** Values handed from a global setup to test files; augmented by each project. */
  export interface ProvidedContext {}
  export function beforeAll(fn: () => unknown, timeout?: number): void;
  export function afterAll(fn: () => unknown, timeout?: number): void;
  export function test(name: string, fn: () => unknown, timeout?: number): void;
  export function inject<K extends keyof ProvidedContext>(key: K): ProvidedContext[K];
  export function expect<T>(actual: T): {
    toBe(expected: T): void;
    toEqual(expected: unknown): void;
  };
}

declare module 'vitest/node' {
  import type { ProvidedContext } from 'vitest';
  export interface TestProject {
    provide<K extends keyof ProvidedContext>(key: K, value: ProvidedContext[K]): void;
  }
}

declare module 'vitest/config' {
  export interface UserConfig {
    test?: { globalSetup?: string | string[]; hookTimeout?: number; testTimeout?: number };
  }
  export function defineConfig(config: UserConfig): UserConfig;
}

declare module '@jest/globals' {
  export function beforeAll(fn: () => unknown, timeout?: number): void;
  export function afterAll(fn: () => unknown, timeout?: number): void;
  export function test(name: string, fn: () => unknown, timeout?: number): void;
  export function expect<T>(actual: T): {
    toBe(expected: T): void;
    toEqual(expected: unknown): void;
  };
}
