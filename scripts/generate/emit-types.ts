/** TypeScript types for the model: interface declarations and the type of each field. */
import { type FieldModel, type FieldType, type StructModel, show } from './model.js';

function baseType(t: FieldType): string {
  if (t.kind === 'struct') return t.struct.name;
  if (t.kind === 'array') return `${baseType(t.elem)}[]`;
  switch (t.prim) {
    case 'int64':
      return 'bigint';
    case 'bool':
      return 'boolean';
    case 'string':
    case 'uuid':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
    default:
      return 'number';
  }
}

/** True when the field's TypeScript type admits null. */
export function typeHasNull(f: FieldModel): boolean {
  return f.nullable !== null || (f.type.kind === 'prim' && f.type.prim === 'records');
}

/** The field's type without `undefined`. */
export function fieldType(f: FieldModel): string {
  return typeHasNull(f) ? `${baseType(f.type)} | null` : baseType(f.type);
}

/** The element type of an array field. */
export function elemType(f: FieldModel): string {
  if (f.type.kind !== 'array') throw new Error(`${f.name} is not an array`);
  return baseType(f.type.elem);
}

function docComment(lines: string[], indent: string): string[] {
  const clean = lines.filter((l) => l.length > 0).map((l) => l.replace(/\*\//g, '*\\/'));
  if (clean.length === 0) return [];
  if (clean.length === 1) return [`${indent}/** ${clean[0]} */`];
  return [`${indent}/**`, ...clean.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function fieldNotes(f: FieldModel): string {
  const notes = [`versions ${show(f.present)}`];
  if (f.nullable) notes.push(`nullable ${show(f.nullable)}`);
  if (f.tagged) notes.push(`tag ${f.tag} in ${show(f.tagged)}`);
  if (f.ignorable) notes.push('ignorable');
  return `(${notes.join('; ')})`;
}

export function emitInterface(s: StructModel, about: string): string[] {
  const out = docComment([about, `${s.specName}, versions ${show(s.ctx)}.`], '');
  out.push(`export interface ${s.name} {`);
  for (const f of s.fields) {
    out.push(...docComment([f.about, fieldNotes(f)], '  '));
    out.push(`  ${f.name}${f.required ? '' : '?'}: ${fieldType(f)};`);
  }
  if (s.flexible !== null) {
    out.push(
      '  /** Tagged fields of a newer version than these specs, kept as read so that encoding again carries them. */',
    );
    out.push('  unknownTaggedFields?: UnknownTaggedField[];');
  }
  out.push('}');
  return out;
}
