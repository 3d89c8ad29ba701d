// jest.config.js (quoted in docs/testing.md; .cjs here because this repository is "type": "module")
module.exports = {
  globalSetup: '<rootDir>/test/kafka.global-setup.ts',
  globalTeardown: '<rootDir>/test/kafka.global-teardown.ts',
  testTimeout: 30_000,
};
