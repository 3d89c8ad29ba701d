// `defineConfig` only types its argument; at run time it returns it.
export function defineConfig<T>(config: T): T {
  return config;
}
