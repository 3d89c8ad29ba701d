import { KafkaJSCompressionCodecUnavailableError } from './errors.js';

/** The functions kafkats uses from each native codec package. */
export interface SnappyModule {
  compressSync(input: Buffer): Buffer;
  uncompressSync(compressed: Buffer): Buffer;
}

export interface Lz4Module {
  compressFrameSync(
    data: Buffer,
    options?: { contentChecksum?: boolean; blockChecksums?: boolean } | null,
  ): Buffer;
  decompressFrameSync(data: Buffer): Buffer;
  /** One raw LZ4 block, prefixed with the most it may decode to (int32 LE); `dict` is what linked blocks refer back into. */
  uncompressSync(data: Buffer, dict?: Buffer | null): Buffer;
}

export interface ZstdModule {
  compress(data: Buffer, parameters?: { compressionLevel?: number }): Buffer;
  decompress(data: Buffer): Buffer;
  /** zstd-napi's low-level binding: streaming decompression into buffers we size ourselves. */
  binding: ZstdBinding;
}

/** The part of zstd-napi's `binding` (libzstd's own functions) used for bounded decompression. */
export interface ZstdBinding {
  DCtx: new () => {
    /** ZSTD_decompressStream: [hint of bytes still to come (0 at a frame's end), written, consumed]. */
    decompressStream(dst: Uint8Array, src: Uint8Array): [number, number, number];
    decompress(dst: Uint8Array, src: Uint8Array): number;
  };
  /** ZSTD_getFrameContentSize: the size the frame header declares, or null when it declares none. */
  getFrameContentSize(frame: Uint8Array): number | null;
}

export interface NativeCodecs {
  snappy: SnappyModule;
  lz4: Lz4Module;
  zstd: ZstdModule;
}

type Name = keyof NativeCodecs;

const PACKAGES: Record<Name, string> = { snappy: '@napi-rs/snappy', lz4: 'lz4-napi', zstd: 'zstd-napi' };

const loaded: Partial<NativeCodecs> = {};
const loading: Partial<Record<Name, Promise<unknown>>> = {};

// `import()` with a literal specifier works in both builds: ESM keeps it, the CommonJS build
// turns it into `require()`. The native modules are CommonJS, so ESM sees them under `default`.
function importPackage(name: Name): Promise<unknown> {
  switch (name) {
    case 'snappy':
      return import('@napi-rs/snappy');
    case 'lz4':
      return import('lz4-napi');
    case 'zstd':
      return Promise.all([import('zstd-napi'), import('zstd-napi/binding.js')]).then(([mod, binding]) => {
        const m = unwrap(mod) as object;
        return {
          compress: (m as ZstdModule).compress,
          decompress: (m as ZstdModule).decompress,
          binding: unwrap(binding),
        };
      });
  }
}

function unwrap(mod: unknown): unknown {
  const m = mod as { default?: unknown };
  return m.default !== undefined && typeof m.default === 'object' ? m.default : mod;
}

/** Loads a native codec on first use; later calls return the same module. */
export async function loadNative<N extends Name>(name: N): Promise<NativeCodecs[N]> {
  const have = loaded[name];
  if (have !== undefined) return have as NativeCodecs[N];
  let p = loading[name];
  if (p === undefined) {
    p = importPackage(name).then(
      (mod) => {
        loaded[name] = unwrap(mod) as NativeCodecs[N];
        return loaded[name];
      },
      (err: unknown) => {
        delete loading[name];
        throw new KafkaJSCompressionCodecUnavailableError(name, PACKAGES[name], err);
      },
    );
    loading[name] = p;
  }
  return (await p) as NativeCodecs[N];
}

/** The codec if it has been loaded already, else undefined (for synchronous paths). */
export function nativeIfLoaded<N extends Name>(name: N): NativeCodecs[N] | undefined {
  return loaded[name] as NativeCodecs[N] | undefined;
}

export function nativePackageName(name: Name): string {
  return PACKAGES[name];
}
