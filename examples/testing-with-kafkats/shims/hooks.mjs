/**
 * A module resolution hook (node:module register()) that points the test runners' specifiers at
 * the node:test shims next to it, so that the Vitest and Jest snippet files run unchanged.
 */
const SHIMS = {
  vitest: './vitest.ts',
  'vitest/node': './vitest-node.ts',
  'vitest/config': './vitest-config.ts',
  '@jest/globals': './jest-globals.ts',
};

export async function resolve(specifier, context, nextResolve) {
  const shim = SHIMS[specifier];
  // Resolved through the rest of the chain, so that tsx's hooks see (and compile) the .ts file.
  if (shim !== undefined) return nextResolve(new URL(shim, import.meta.url).href, context);
  return nextResolve(specifier, context);
}
