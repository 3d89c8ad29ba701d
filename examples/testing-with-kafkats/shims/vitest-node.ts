// `vitest/node` is imported for its TestProject type only; nothing is needed at run time.
export {};
