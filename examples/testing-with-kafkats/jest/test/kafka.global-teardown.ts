// test/kafka.global-teardown.ts (quoted in docs/testing.md)
export default async function globalTeardown() {
  await (globalThis as { __kafka?: { stop(): Promise<void> } }).__kafka?.stop();
}
