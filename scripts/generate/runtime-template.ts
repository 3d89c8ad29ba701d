/** The text of src/protocol/messages/runtime.ts: small helpers every generated module imports. */
export const RUNTIME_SOURCE = `import { KafkaProtocolError } from '../../errors/base.js';
import { Reader } from '../codec/reader.js';
import type { Writer } from '../codec/writer.js';

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

/**
 * A tagged field this client's specs do not know (a newer broker's or client's), kept as its raw
 * bytes so that decoding and encoding again carries it through unchanged, as Java's generated
 * messages do. Proxies and tools built on kafkats/protocol rely on that.
 */
export interface UnknownTaggedField {
  /** The field's tag. */
  tag: number;
  /** The field's encoded value (without the tag and size prefix). */
  data: Buffer;
}

/** Reads a tagged-field section of a struct with no known tagged fields; undefined when empty. */
export function readUnknownTaggedFields(r: Reader): UnknownTaggedField[] | undefined {
  const count = r.uvarint();
  if (count === 0) return undefined;
  const out: UnknownTaggedField[] = [];
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    out.push({ tag, data: r.raw(r.uvarint()) });
  }
  return out;
}

/** Unknown fields still to write: those whose tag is not one of the known tags being written. */
export function countUnknownTagged(u: readonly UnknownTaggedField[], known: readonly number[]): number {
  let n = 0;
  for (const f of u) if (!known.includes(f.tag)) n++;
  return n;
}

/**
 * Writes the unknown fields whose tag is in [lo, hi), in ascending tag order (the wire format
 * requires it; the known fields are written between these ranges).
 */
export function writeUnknownTaggedRange(w: Writer, u: readonly UnknownTaggedField[], lo: number, hi: number): void {
  const inRange = u.filter((f) => f.tag >= lo && f.tag < hi);
  if (inRange.length > 1) inRange.sort((a, b) => a.tag - b.tag);
  for (const f of inRange) {
    w.uvarint(f.tag);
    w.uvarint(f.data.length);
    w.raw(f.data);
  }
}

/** The tagged-field section of a struct with no known tagged fields. */
export function writeUnknownTaggedFields(w: Writer, u: readonly UnknownTaggedField[] | undefined): void {
  if (u === undefined || u.length === 0) {
    w.uvarint(0);
    return;
  }
  w.uvarint(u.length);
  writeUnknownTaggedRange(w, u, 0, Number.POSITIVE_INFINITY);
}
`;
