/**
 * KafkaJS's internal client factories, as tracing tools hook them.
 *
 * OpenTelemetry's KafkaJS instrumentation (`@opentelemetry/instrumentation-kafkajs`) learns a
 * client's cluster id (`messaging.kafka.cluster.id`) by hooking the CommonJS files
 * `kafkajs/src/producer/index.js` and `kafkajs/src/consumer/index.js`: KafkaJS's `Kafka` builds
 * each client by calling the function those files export with `{ cluster, … }`, and the hook
 * remembers `params.cluster` for the client returned, then reads
 * `cluster.brokerPool.metadata.clusterId` whenever it opens a span.
 *
 * kafkats installed as `kafkajs` (`npm i kafkajs@npm:kafkats`) has no such files, so its
 * CommonJS build makes the modules: a module for each path, whose exports are a pass-through
 * factory, is put in `require.cache` (and its path in Node's resolution cache), then required,
 * so that whatever hooks `require` of that path (require-in-the-middle, which reads the package
 * name and version from the path) wraps the factory and sees the call with the cluster. Under
 * ESM, or if Node's module internals differ, the client is returned as it is: only the
 * attribute is lost (test/integration/ecosystem/otel.test.ts asserts it is there).
 */
import { Module } from 'node:module';
import { join, resolve } from 'node:path';

/** What KafkaJS's factories receive that tracing reads: the cluster, with the id the brokers reported. */
interface FactoryParams<T> {
  cluster: { readonly brokerPool: { readonly metadata: { readonly clusterId: string | undefined } } };
  /** kafkats: the client already built, which the pass-through factory returns. */
  client: T;
}

type Factory<T> = (params: FactoryParams<T>) => T;

/** The package root in the CommonJS build (dist/cjs/compat → three levels up); undefined under ESM. */
function packageRoot(): string | undefined {
  // `__dirname` and `require` exist only in the CommonJS build.
  if (typeof __dirname !== 'string' || typeof require !== 'function') return undefined;
  return resolve(__dirname, '..', '..', '..');
}

function passThrough<T>(params: FactoryParams<T>): T {
  return params.client;
}

/**
 * Returns `client` after handing it through `kafkajs/src/<kind>/index.js` as KafkaJS's `Kafka`
 * does, with a cluster view whose `brokerPool.metadata.clusterId` reads `clusterId()` when asked.
 */
export function throughKafkajsFactory<T extends object>(
  kind: 'producer' | 'consumer',
  client: T,
  clusterId: () => string | null,
): T {
  const root = packageRoot();
  if (root === undefined) return client;
  const filename = join(root, 'src', kind, 'index.js');
  try {
    if (require.cache[filename] === undefined) {
      const placeholder = new Module(filename);
      placeholder.filename = filename;
      placeholder.exports = passThrough;
      placeholder.loaded = true;
      require.cache[filename] = placeholder;
      // No file is shipped at that path: the resolution cache answers for it, so require() (and
      // the hooks that resolve the name again) find the module above without reading the disk.
      const paths = (Module as unknown as { _pathCache?: Record<string, string> })._pathCache;
      if (paths !== undefined) paths[`${filename}\x00`] = filename;
    }
    const factory = require(filename) as Factory<T>;
    if (typeof factory !== 'function') return client;
    const metadata = {
      get clusterId() {
        return clusterId() ?? undefined;
      },
    };
    const made = factory({ cluster: { brokerPool: { metadata } }, client });
    return made ?? client;
  } catch {
    // Tracing is an extra: a hook that fails must not stop the client from being made.
    return client;
  }
}
