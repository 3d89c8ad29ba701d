/** The text of src/protocol/messages/runtime.ts: small helpers every generated module imports. */
export const RUNTIME_SOURCE = `import { KafkaProtocolError } from '../../errors/base.js';
import { Reader } from '../codec/reader.js';

/** Shared empty default for bytes fields; never written to. */
export const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

/**
 * A field the version cannot carry was given a non-default value. Like the Java client's
 * UnsupportedVersionException: sending it would silently drop what the caller asked for.
 */
export function unsupportedField(where: string, version: number): KafkaProtocolError {
  return new KafkaProtocolError(
    \`\${where} is not supported at version \${version}: the field was set to a non-default value, but this version cannot carry it\`,
    undefined,
    { retriable: false },
  );
}

export function nullNotAllowed(where: string, version: number): KafkaProtocolError {
  return new KafkaProtocolError(\`\${where} is null, but version \${version} does not allow null there\`, undefined, {
    retriable: false,
  });
}

/** The value, or a KafkaProtocolError when it is null in a version where it cannot be. */
export function nn<T>(value: T | null, where: string, version: number): T {
  if (value === null) throw nullNotAllowed(where, version);
  return value;
}

export function checkVersion(api: string, version: number, min: number, max: number): void {
  if (!(version >= min && version <= max && Number.isInteger(version))) {
    throw new KafkaProtocolError(\`\${api} version \${version} is not supported (this client knows \${min} to \${max})\`, undefined, {
      retriable: false,
    });
  }
}

/** A reader over the next \\\`size\\\` bytes (one tagged field's value); moves \\\`r\\\` past them. */
export function taggedReader(r: Reader, size: number): Reader {
  r.need(size);
  const sub = new Reader(r.buf, r.pos, r.pos + size);
  r.pos += size;
  return sub;
}

/** Skips a tagged-field section whose tags this version does not know. */
export function skipTaggedFields(r: Reader): void {
  const count = r.uvarint();
  for (let i = 0; i < count; i++) {
    r.uvarint();
    r.skip(r.uvarint());
  }
}
`;
