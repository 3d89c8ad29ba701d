/**
 * Straight-line encoders and decoders. Every struct gets one `write<Name>` and one
 * `read<Name>` function whose body checks the version inline (`if (v >= 4)`) for each field;
 * nothing walks a schema at run time.
 */

import { elemType, fieldType, typeHasNull } from './emit-types.js';
import type { DefaultValue, FieldModel, FieldType, MessageModel, Prim, StructModel } from './model.js';
import type { Range } from './parse.js';
import { intersect, sameRange } from './parse.js';

class Code {
  readonly lines: string[] = [];
  private depth = 1;
  line(s: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${s}`);
  }
  open(s: string): void {
    this.line(`${s} {`);
    this.depth++;
  }
  /** Closes a block; `tail` continues the line (e.g. "else {"). */
  close(tail = ''): void {
    this.depth--;
    if (tail) {
      this.line(`} ${tail} {`);
      this.depth++;
    } else this.line('}');
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/** A condition that is true exactly for versions in `r`, given that `v` lies in `ctx`. */
export function versionCond(r: Range | null, ctx: Range): string {
  if (r === null) return 'false';
  const lo = Math.max(r.lo, ctx.lo);
  const hi = Math.min(r.hi, ctx.hi);
  if (lo > hi) return 'false';
  const parts: string[] = [];
  if (lo > ctx.lo) parts.push(`v >= ${lo}`);
  if (hi < ctx.hi) parts.push(`v <= ${hi}`);
  if (parts.length === 0) return 'true';
  if (lo === hi && parts.length === 2) return `v === ${lo}`;
  return parts.join(' && ');
}

function negate(cond: string): string {
  if (cond === 'true') return 'false';
  if (cond === 'false') return 'true';
  const m = /^v >= (\d+)$/.exec(cond);
  if (m) return `v < ${m[1]}`;
  const m2 = /^v <= (\d+)$/.exec(cond);
  if (m2) return `v > ${m2[1]}`;
  return `!(${cond})`;
}

const FIXED: Partial<Record<Prim, [string, number]>> = {
  int8: ['int8', 1],
  int16: ['int16', 2],
  int32: ['int32', 4],
  int64: ['int64', 8],
  uint16: ['uint16', 2],
  uint32: ['uint32', 4],
  float64: ['float64', 8],
  bool: ['bool', 1],
  uuid: ['uuid', 16],
};

function varMethod(prim: Prim, flexible: boolean, nullable: boolean): string {
  const base = prim === 'string' ? 'String' : 'Bytes';
  const name = `${flexible ? 'compact' : ''}${nullable ? 'Nullable' : ''}${base}`;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export interface EmitState {
  /** Structs that need an `isDefault<Name>` function. */
  needsIsDefault: Set<StructModel>;
  /** Structs that need a `default<Name>` function. */
  needsDefault: Set<StructModel>;
  /** Identifiers of the runtime module that were used. */
  used: Set<string>;
}

function defaultExpr(f: FieldModel, st: EmitState): string {
  return defaultValueExpr(f.default, f.type, st);
}

function defaultValueExpr(d: DefaultValue, t: FieldType, st: EmitState): string {
  switch (d.kind) {
    case 'number':
      return Object.is(d.value, -0) ? '0' : String(d.value);
    case 'bigint':
      return `${d.value}n`;
    case 'bool':
      return String(d.value);
    case 'string':
      return JSON.stringify(d.value).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
    case 'uuid':
      st.used.add('ZERO_UUID');
      return 'ZERO_UUID';
    case 'null':
      return 'null';
    case 'empty':
      if (t.kind === 'array') return '[]';
      st.used.add('EMPTY_BUFFER');
      return 'EMPTY_BUFFER';
    case 'struct':
      if (t.kind !== 'struct') throw new Error('struct default on a non-struct');
      st.needsDefault.add(t.struct);
      return `default${t.struct.name}()`;
  }
}

/** An expression true when `e` (of the field's type, not undefined) equals the field's default. */
export function isDefaultExpr(f: FieldModel, e: string, st: EmitState): string {
  const d = f.default;
  const nullable = typeHasNull(f);
  switch (d.kind) {
    case 'null':
      return `${e} === null`;
    case 'empty':
      return nullable ? `(${e} !== null && ${e}.length === 0)` : `${e}.length === 0`;
    case 'struct': {
      if (f.type.kind !== 'struct') throw new Error('struct default on a non-struct');
      st.needsIsDefault.add(f.type.struct);
      const call = `isDefault${f.type.struct.name}(${e})`;
      return nullable ? `(${e} !== null && ${call})` : call;
    }
    default:
      return `${e} === ${defaultExpr(f, st)}`;
  }
}

/** Static lower bound of a struct's encoded size, for array length checks. */
export function minSize(s: StructModel, memo = new Map<StructModel, number>()): number {
  const known = memo.get(s);
  if (known !== undefined) return known;
  let n = 0;
  if (s.flexible !== null && sameRange(s.flexible, s.ctx)) n += 1;
  for (const f of s.fields) {
    if (f.regular === null || !sameRange(f.regular, s.ctx)) continue;
    n += fieldMinSize(f, memo);
  }
  memo.set(s, n);
  return n;
}

function fieldMinSize(f: FieldModel, memo: Map<StructModel, number>): number {
  const t = f.type;
  if (t.kind === 'struct') return f.nullable !== null ? 1 : minSize(t.struct, memo);
  if (t.kind === 'prim' && FIXED[t.prim]) return FIXED[t.prim]![1];
  if (f.flexible !== null) return 1;
  return t.kind === 'prim' && t.prim === 'string' ? 2 : 4;
}

function elemMinSize(f: FieldModel, flexible: boolean): number {
  if (f.type.kind !== 'array') throw new Error('not an array');
  const e = f.type.elem;
  if (e.kind === 'struct') return Math.max(1, minSize(e.struct));
  if (FIXED[e.prim]) return FIXED[e.prim]![1];
  return flexible ? 1 : 2;
}

/** How a property varies over the versions `r` of a field: always, never, or a condition. */
function modeIn(prop: Range | null, r: Range, ctx: Range): string {
  const inR = intersect(prop, r);
  if (inR === null) return 'false';
  if (sameRange(inR, r)) return 'true';
  // The property starts or stops inside r: test on the narrower context.
  return versionCond(inR, { lo: Math.max(r.lo, ctx.lo), hi: Math.min(r.hi, ctx.hi) });
}

/** The versions of `r` where a property is true, and where it is false (approximated by `r` when split in two). */
function splitRange(prop: Range | null, r: Range): [Range, Range] {
  const inR = intersect(prop, r);
  if (inR === null) return [r, r];
  if (inR.lo > r.lo && inR.hi < r.hi) return [inR, r];
  if (inR.lo > r.lo) return [inR, { lo: r.lo, hi: inR.lo - 1 }];
  if (inR.hi < r.hi) return [inR, { lo: inR.hi + 1, hi: r.hi }];
  return [inR, r];
}

/** Emits `then` for each constant value a condition can take (splitting at run time when needed). */
function branch(c: Code, cond: string, then: (value: boolean) => void): void {
  if (cond === 'true' || cond === 'false') {
    then(cond === 'true');
    return;
  }
  c.open(`if (${cond})`);
  then(true);
  c.close('else');
  then(false);
  c.close();
}

export class StructEmitter {
  private tmp = 0;

  constructor(
    private readonly msg: MessageModel,
    private readonly st: EmitState,
    /** See {@link CodecOptions.shortTail}. */
    private readonly shortTail = false,
  ) {}

  private where(s: StructModel, f: FieldModel): string {
    return s === this.msg.root
      ? `${this.msg.name}.${f.specName}`
      : `${this.msg.name}.${s.specName}.${f.specName}`;
  }

  private use(name: string): string {
    this.st.used.add(name);
    return name;
  }

  // ---- encoding ----

  private writeValue(c: Code, s: StructModel, f: FieldModel, val: string, wv: string, r: Range): void {
    const nullMode = modeIn(f.nullable, r, s.ctx);
    const [whenNull, whenNotNull] = splitRange(f.nullable, r);
    const hasNull = typeHasNull(f);
    const where = `'${this.where(s, f)}'`;
    const t = f.type;
    if (t.kind === 'prim' && FIXED[t.prim]) {
      c.line(`${wv}.${FIXED[t.prim]![0]}(${val});`);
      return;
    }
    branch(c, nullMode, (nullable) => {
      const flexMode = modeIn(f.flexible, nullable ? whenNull : whenNotNull, s.ctx);
      const nonNull = () => (!nullable && hasNull ? `${this.use('nn')}(${val}, ${where}, v)` : val);
      branch(c, flexMode, (flexible) => {
        if (t.kind === 'prim') {
          c.line(`${wv}.${varMethod(t.prim, flexible, nullable)}(${nonNull()});`);
        } else if (t.kind === 'struct') {
          if (nullable) {
            const x = `x${this.tmp++}`;
            c.line(`const ${x} = ${val};`);
            c.open(`if (${x} === null)`);
            c.line(`${wv}.int8(-1);`);
            c.close('else');
            c.line(`${wv}.int8(1);`);
            c.line(`write${t.struct.name}(${wv}, v, ${x});`);
            c.close();
          } else c.line(`write${t.struct.name}(${wv}, v, ${nonNull()});`);
        } else {
          const n = this.tmp++;
          const a = `a${n}`;
          const i = `i${n}`;
          const len = flexible ? 'compactArrayLength' : 'arrayLength';
          c.line(`const ${a} = ${val};`);
          if (hasNull) {
            c.open(`if (${a} === null)`);
            if (nullable) c.line(`${wv}.${len}(null);`);
            else c.line(`throw ${this.use('nullNotAllowed')}(${where}, v);`);
            c.close('else');
          }
          c.line(`${wv}.${len}(${a}.length);`);
          c.open(`for (let ${i} = 0; ${i} < ${a}.length; ${i}++)`);
          const e = t.elem;
          if (e.kind === 'struct') c.line(`write${e.struct.name}(${wv}, v, ${a}[${i}]!);`);
          else if (FIXED[e.prim]) c.line(`${wv}.${FIXED[e.prim]![0]}(${a}[${i}]!);`);
          else c.line(`${wv}.${varMethod(e.prim, flexible, false)}(${a}[${i}]!);`);
          c.close();
          if (hasNull) c.close();
        }
      });
    });
  }

  emitWrite(s: StructModel): string {
    const c = new Code();
    for (const f of s.fields) {
      const prop = `s.${f.name}`;
      if (f.regular !== null) {
        const cond = versionCond(f.regular, s.ctx);
        const open = cond !== 'true';
        if (open) c.open(`if (${cond})`);
        let val = prop;
        if (!f.required) {
          val = `x${this.tmp++}`;
          const d = defaultExpr(f, this.st);
          c.line(
            typeHasNull(f)
              ? `const ${val} = ${prop} === undefined ? ${d} : ${prop};`
              : `const ${val} = ${prop} ?? ${d};`,
          );
        }
        this.writeValue(c, s, f, val, 'w', f.regular);
        if (open) c.close();
      }
      if (!f.required && !f.ignorable) {
        const absent = negate(versionCond(f.present, s.ctx));
        c.open(`if (${absent} && ${prop} !== undefined && !(${isDefaultExpr(f, prop, this.st)}))`);
        c.line(`throw ${this.use('unsupportedField')}('${this.where(s, f)}', v);`);
        c.close();
      }
    }
    const tagged = s.fields.filter((f) => f.tagged !== null).sort((a, b) => a.tag! - b.tag!);
    const flexCond = versionCond(s.flexible, s.ctx);
    if (flexCond !== 'false') {
      if (flexCond !== 'true') c.open(`if (${flexCond})`);
      if (tagged.length === 0) c.line(`${this.use('writeUnknownTaggedFields')}(w, s.unknownTaggedFields);`);
      else {
        const flags: string[] = [];
        for (const f of tagged) {
          const flag = `t${this.tmp++}`;
          flags.push(flag);
          const cond = versionCond(f.tagged, intersect(s.flexible, s.ctx)!);
          const prop = `s.${f.name}`;
          const parts = [];
          if (cond !== 'true') parts.push(cond);
          if (!f.required) parts.push(`${prop} !== undefined`);
          parts.push(`!(${isDefaultExpr(f, prop, this.st)})`);
          c.line(`const ${flag} = ${parts.join(' && ')};`);
        }
        // Unknown tagged fields (kept by the decoder) are written between the known ones in tag
        // order; one whose tag a known field of this version writes is left out.
        c.line('const u = s.unknownTaggedFields;');
        const known = `[${flags.map((f, k) => `${f} ? ${tagged[k]!.tag} : -1`).join(', ')}]`;
        c.line(
          `w.uvarint(${flags.map((f) => `(${f} ? 1 : 0)`).join(' + ')} + (u === undefined ? 0 : ${this.use('countUnknownTagged')}(u, ${known})));`,
        );
        const range = this.use('writeUnknownTaggedRange');
        let lo = 0;
        tagged.forEach((f, k) => {
          if (lo < f.tag!) c.line(`if (u !== undefined) ${range}(w, u, ${lo}, ${f.tag});`);
          c.open(`if (${flags[k]})`);
          c.line(`w.uvarint(${f.tag});`);
          c.line(`const tw = new ${this.use('Writer')}(64);`);
          this.writeValue(c, s, f, `s.${f.name}${f.required ? '' : '!'}`, 'tw', f.tagged!);
          c.line('w.uvarint(tw.pos);');
          c.line('w.raw(tw.finish());');
          c.close('else');
          c.line(`if (u !== undefined) ${range}(w, u, ${f.tag}, ${f.tag! + 1});`);
          c.close();
          lo = f.tag! + 1;
        });
        c.line(`if (u !== undefined) ${range}(w, u, ${lo}, Number.POSITIVE_INFINITY);`);
      }
      if (flexCond !== 'true') c.close();
    }
    const body = c.text();
    const vParam = /\bv\b/.test(body) ? 'v' : '_v';
    return [`function write${s.name}(w: Writer, ${vParam}: number, s: ${s.name}): void {`, body, '}'].join(
      '\n',
    );
  }

  // ---- decoding ----

  private readExpr(s: StructModel, f: FieldModel, rv: string, flexible: boolean, nullable: boolean): string {
    const t = f.type;
    if (t.kind === 'prim') {
      if (FIXED[t.prim]) return `${rv}.${FIXED[t.prim]![0]}()`;
      return `${rv}.${varMethod(t.prim, flexible, nullable)}()`;
    }
    if (t.kind === 'struct') {
      const call = `read${t.struct.name}(${rv}, v)`;
      return nullable ? `(${rv}.int8() < 0 ? null : ${call})` : call;
    }
    throw new Error(`readExpr on array ${this.where(s, f)}`);
  }

  private readValue(c: Code, s: StructModel, f: FieldModel, target: string, rv: string, r: Range): void {
    const flexMode = modeIn(f.flexible, r, s.ctx);
    const nullMode = modeIn(f.nullable, r, s.ctx);
    const [whenNull, whenNotNull] = splitRange(f.nullable, r);
    const t = f.type;
    if (t.kind === 'prim' && FIXED[t.prim]) {
      c.line(`${target} = ${rv}.${FIXED[t.prim]![0]}();`);
      return;
    }
    if (t.kind !== 'array') {
      const expr = (flexible: boolean, nullable: boolean) => this.readExpr(s, f, rv, flexible, nullable);
      const byFlex = (nullable: boolean) => {
        const fm = modeIn(f.flexible, nullable ? whenNull : whenNotNull, s.ctx);
        return fm === 'true' || fm === 'false'
          ? expr(fm === 'true', nullable)
          : `(${fm} ? ${expr(true, nullable)} : ${expr(false, nullable)})`;
      };
      const value =
        nullMode === 'true' || nullMode === 'false'
          ? byFlex(nullMode === 'true')
          : `(${nullMode} ? ${byFlex(true)} : ${byFlex(false)})`;
      c.line(`${target} = ${value};`);
      return;
    }
    const n = this.tmp++;
    const len = (flexible: boolean) => {
      const min = elemMinSize(f, flexible);
      return flexible ? `${rv}.compactArrayLength(${min})` : `${rv}.arrayLength(${min})`;
    };
    const lenExpr =
      flexMode === 'true' || flexMode === 'false'
        ? len(flexMode === 'true')
        : `(${flexMode} ? ${len(true)} : ${len(false)})`;
    c.line(`const n${n} = ${lenExpr};`);
    c.open(`if (n${n} < 0)`);
    branch(c, nullMode, (nullable) => {
      if (nullable) c.line(`${target} = null;`);
      else c.line(`throw ${this.use('nullNotAllowed')}('${this.where(s, f)}', v);`);
    });
    c.close('else');
    c.line(`const a${n}: ${elemType(f)}[] = [];`);
    const e = t.elem;
    const elem = (flexible: boolean) =>
      e.kind === 'struct'
        ? `read${e.struct.name}(${rv}, v)`
        : FIXED[e.prim]
          ? `${rv}.${FIXED[e.prim]![0]}()`
          : `${rv}.${varMethod(e.prim, flexible, false)}()`;
    const elemExpr =
      flexMode === 'true' || flexMode === 'false' || e.kind === 'struct' || FIXED[e.prim]
        ? elem(flexMode !== 'false')
        : `(${flexMode} ? ${elem(true)} : ${elem(false)})`;
    c.line(`for (let i${n} = 0; i${n} < n${n}; i${n}++) a${n}.push(${elemExpr});`);
    c.line(`${target} = a${n};`);
    c.close();
  }

  emitRead(s: StructModel): string {
    const c = new Code();
    const short = this.shortTail && s === this.msg.root;
    s.fields.forEach((f, k) => {
      const local = `f_${f.name}`;
      const type = fieldType(f);
      if (f.tagged !== null) {
        c.line(`let ${local}: ${type} = ${defaultExpr(f, this.st)};`);
        if (f.regular !== null) {
          c.open(`if (${versionCond(f.regular, s.ctx)})`);
          this.readValue(c, s, f, local, 'r', f.regular);
          c.close();
        }
        return;
      }
      c.line(`let ${local}: ${type};`);
      let cond = versionCond(f.regular, s.ctx);
      if (short && k > 0) {
        // Input that ends here gives this field and the later ones their defaults.
        const more = '!(shortTail && r.remaining === 0)';
        cond = cond === 'true' ? more : `${cond} && ${more}`;
      }
      if (cond === 'true') this.readValue(c, s, f, local, 'r', f.regular!);
      else {
        c.open(`if (${cond})`);
        this.readValue(c, s, f, local, 'r', f.regular!);
        c.close('else');
        c.line(`${local} = ${defaultExpr(f, this.st)};`);
        c.close();
      }
    });
    const tagged = s.fields.filter((f) => f.tagged !== null).sort((a, b) => a.tag! - b.tag!);
    const flexCond = versionCond(s.flexible, s.ctx);
    if (flexCond !== 'false') {
      // Tags this version does not know are kept (raw) for re-encoding, not dropped.
      this.use('UnknownTaggedField');
      c.line('let u: UnknownTaggedField[] | undefined;');
      if (flexCond !== 'true') c.open(`if (${flexCond})`);
      if (tagged.length === 0) c.line(`u = ${this.use('readUnknownTaggedFields')}(r);`);
      else {
        c.line('const tagCount = r.uvarint();');
        c.open('for (let k = 0; k < tagCount; k++)');
        c.line('const tag = r.uvarint();');
        c.line('const size = r.uvarint();');
        c.line(`const tr = ${this.use('taggedReader')}(r, size);`);
        c.open('switch (tag)');
        for (const f of tagged) {
          c.open(`case ${f.tag}:`);
          const cond = versionCond(f.tagged, intersect(s.flexible, s.ctx)!);
          if (cond !== 'true') c.open(`if (${cond})`);
          this.readValue(c, s, f, `f_${f.name}`, 'tr', f.tagged!);
          if (cond !== 'true') c.close('else');
          if (cond !== 'true') c.line('(u ??= []).push({ tag, data: tr.raw(size) });');
          if (cond !== 'true') c.close();
          c.line('break;');
          c.close();
        }
        c.line('default:');
        c.line('  (u ??= []).push({ tag, data: tr.raw(size) });');
        c.close();
        c.close();
      }
      if (flexCond !== 'true') c.close();
      c.line(`const o: ${s.name} = { ${s.fields.map((f) => `${f.name}: f_${f.name}`).join(', ')} };`);
      c.line('if (u !== undefined) o.unknownTaggedFields = u;');
      c.line('return o;');
    } else c.line(`return { ${s.fields.map((f) => `${f.name}: f_${f.name}`).join(', ')} };`);
    const body = c.text();
    const vParam = /\bv\b/.test(body) ? 'v' : '_v';
    const rParam = /\br\b/.test(body) ? 'r' : '_r';
    const extra = short ? ', shortTail: boolean' : '';
    return [
      `function read${s.name}(${rParam}: Reader, ${vParam}: number${extra}): ${s.name} {`,
      body,
      '}',
    ].join('\n');
  }

  emitDefault(s: StructModel): string {
    const props = s.fields.map((f) => `${f.name}: ${defaultExpr(f, this.st)}`);
    return [`function default${s.name}(): ${s.name} {`, `  return { ${props.join(', ')} };`, '}'].join('\n');
  }

  emitIsDefault(s: StructModel): string {
    const parts = s.fields.map((f) => {
      const e = isDefaultExpr(f, `s.${f.name}`, this.st);
      return f.required ? e : `(s.${f.name} === undefined || ${e})`;
    });
    const param = parts.length === 0 ? '_s' : 's';
    return [
      `function isDefault${s.name}(${param}: ${s.name}): boolean {`,
      `  return ${parts.length === 0 ? 'true' : parts.join(' &&\n    ')};`,
      '}',
    ].join('\n');
  }
}

export interface CodecOptions {
  /**
   * The root struct's reader takes a `shortTail` flag: when set, input that ends before a
   * top-level field (after the first) gives that field and the later ones their defaults
   * instead of failing. For data specs that other clients write without their trailing fields.
   */
  shortTail?: boolean;
}

/** Emits every function of one message; returns the code, in a fixed order. */
export function emitMessageCodec(msg: MessageModel, st: EmitState, opts: CodecOptions = {}): string[] {
  const em = new StructEmitter(msg, st, opts.shortTail === true);
  const out: string[] = [];
  for (const s of msg.structs) {
    out.push(em.emitWrite(s));
    out.push(em.emitRead(s));
  }
  // default/isDefault functions are discovered while emitting (and may need others).
  const done = new Set<string>();
  for (;;) {
    const d = msg.structs.find((s) => st.needsDefault.has(s) && !done.has(`d${s.name}`));
    if (d) {
      done.add(`d${d.name}`);
      out.push(em.emitDefault(d));
      continue;
    }
    const i = msg.structs.find((s) => st.needsIsDefault.has(s) && !done.has(`i${s.name}`));
    if (!i) break;
    done.add(`i${i.name}`);
    out.push(em.emitIsDefault(i));
  }
  return out;
}
