// vitest.config.ts (quoted in docs/testing.md)
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { globalSetup: ['./test/kafka.global-setup.ts'], hookTimeout: 120_000 },
});
