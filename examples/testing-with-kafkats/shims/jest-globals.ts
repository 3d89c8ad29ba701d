// Jest's `@jest/globals` has the same hook, test and expect calls as the Vitest shim implements.
export { afterAll, beforeAll, expect, test } from './vitest.js';
