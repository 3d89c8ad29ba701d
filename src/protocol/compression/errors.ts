import { KafkaJSError } from '../../errors/base.js';

/**
 * A compression codec whose native module is not installed (or failed to load). Raised only when
 * that codec is actually used, so a program that never sees snappy data never needs the package.
 */
export class KafkaJSCompressionCodecUnavailableError extends KafkaJSError {
  readonly codec: string;
  /** The npm package that provides the codec. */
  readonly packageName: string;

  constructor(codec: string, packageName: string, cause: unknown) {
    super(
      `The ${codec} compression codec needs the optional npm package "${packageName}", which could not be ` +
        `loaded. Install it with \`npm install ${packageName}\` (it ships prebuilt binaries for common ` +
        `platforms), or use another compression type.`,
      { retriable: false, cause },
    );
    this.codec = codec;
    this.packageName = packageName;
  }
}
