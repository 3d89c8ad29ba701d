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
 * name and version from the path) wraps the factory and sees the call with the cluster. The ESM
 * build does the same through a `require` made by `createRequire`. If Node's module internals
 * differ, the client is returned as it is: only the attribute is lost
 * (test/integration/ecosystem/otel.test.ts asserts it is there, under CommonJS and ESM).
 */
import { createRequire, Module } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What KafkaJS's factories receive that tracing reads: the cluster, with the id the brokers reported. */
interface FactoryParams<T> {
  cluster: { readonly brokerPool: { readonly metadata: { readonly clusterId: string | undefined } } };
  /** kafkats: the client already built, which the pass-through factory returns. */
  client: T;
}

type Factory<T> = (params: FactoryParams<T>) => T;

/**
 * This file's own path: `__filename` in the CommonJS build; under ESM (where neither
 * `__filename` nor `require` exists and `import.meta` cannot be written in a file both builds
 * compile) the `file:` URL of the frame that is running this function.
 */
function ownFile(): string | undefined {
  if (typeof __filename === 'string') return __filename;
  const match = /(file:\/\/[^\s)]+?kafkajs-factories\.js)/.exec(new Error().stack ?? '');
  if (match === null) return undefined;
  try {
    return fileURLToPath(match[1]!);
  } catch {
    return undefined;
  }
}

let located: { root: string; require: NodeJS.Require } | null | undefined;

/**
 * The package root (dist/<format>/compat → three levels up) and a CommonJS `require` to load the
 * factory modules with. Under ESM that `require` comes from `createRequire`: it goes through
 * `Module.prototype.require` like any other, which is what require-in-the-middle hooks — and
 * OpenTelemetry's ESM set-up (`--import` of its hook) enables that hook beside the ESM one.
 */
function locate(): { root: string; require: NodeJS.Require } | undefined {
  if (located === undefined) {
    const file = ownFile();
    located =
      file === undefined
        ? null
        : {
            root: resolve(dirname(file), '..', '..', '..'),
            require: typeof require === 'function' ? require : createRequire(file),
          };
  }
  return located ?? undefined;
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
  const where = locate();
  if (where === undefined) return client;
  const { root, require: load } = where;
  const filename = join(root, 'src', kind, 'index.js');
  try {
    if (load.cache[filename] === undefined) {
      const placeholder = new Module(filename);
      placeholder.filename = filename;
      placeholder.exports = passThrough;
      placeholder.loaded = true;
      load.cache[filename] = placeholder;
      // No file is shipped at that path: the resolution cache answers for it, so require() (and
      // the hooks that resolve the name again) find the module above without reading the disk.
      const paths = (Module as unknown as { _pathCache?: Record<string, string> })._pathCache;
      if (paths !== undefined) paths[`${filename}\x00`] = filename;
    }
    const factory = load(filename) as Factory<T>;
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
