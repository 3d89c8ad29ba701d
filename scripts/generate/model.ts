/**
 * The generator's model of the specs: APIs (request + response pairs), their structs and
 * fields, with every version range resolved against the versions a struct can actually be
 * encoded in (its "context"). Both the emitters and the round-trip tests read this model.
 */
import { intersect, parseRange, type Range, type RawField, type RawSpec, type SpecSource } from './parse.js';

export type Prim =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'uint32'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

const PRIMS = new Set<string>([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint16',
  'uint32',
  'float64',
  'bool',
  'string',
  'bytes',
  'records',
  'uuid',
]);

export type FieldType =
  | { kind: 'prim'; prim: Prim }
  | { kind: 'struct'; struct: StructModel }
  | { kind: 'array'; elem: { kind: 'prim'; prim: Prim } | { kind: 'struct'; struct: StructModel } };

/** A field's default, as a value the emitters and tests can both use. */
export type DefaultValue =
  | { kind: 'number'; value: number }
  | { kind: 'bigint'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'uuid'; value: string }
  | { kind: 'null' }
  /** Empty array or empty bytes. */
  | { kind: 'empty' }
  /** A struct whose fields all hold their defaults. */
  | { kind: 'struct' };

export interface FieldModel {
  specName: string;
  /** camelCase property name. */
  name: string;
  type: FieldType;
  about: string;
  /** Versions the field exists in, within its struct's context (never null: absent fields are dropped). */
  present: Range;
  /** Of `present`, the versions where it is a tagged field (null when never tagged). */
  tagged: Range | null;
  /** Of `present`, the versions where it is written in line (null when always tagged). */
  regular: Range | null;
  /** Of `present`, the versions where it may be null. */
  nullable: Range | null;
  /** Versions in which this field uses the compact (flexible) encodings. */
  flexible: Range | null;
  tag: number | undefined;
  ignorable: boolean;
  default: DefaultValue;
  /** True when the field is in every version of the struct's context (a required property). */
  required: boolean;
  /** Raw spec ranges, kept for documentation comments. */
  rawVersions: string;
}

export interface StructModel {
  /** TypeScript interface name, unique across all generated modules. */
  name: string;
  specName: string;
  /** The versions this struct can be encoded in (union over every place that uses it). */
  ctx: Range;
  /** Versions in which the struct (its message) is flexible, within ctx. */
  flexible: Range | null;
  fields: FieldModel[];
  raw: RawField[];
}

export interface MessageModel {
  /** Spec name, e.g. "MetadataResponse"; also the root struct's interface name. */
  name: string;
  root: StructModel;
  /** Every struct of the message, root first, each once. */
  structs: StructModel[];
  flexible: Range | null;
}

export interface ApiModel {
  apiKey: number;
  /** e.g. "Metadata". */
  name: string;
  /** kebab-case module name, e.g. "describe-topic-partitions". */
  module: string;
  minVersion: number;
  maxVersion: number;
  /** First flexible version of the request, or -1. */
  flexibleVersion: number;
  /** First flexible version of the response, or -1 (ApiVersions' response header stays v0 regardless). */
  responseFlexibleVersion: number;
  request: MessageModel;
  response: MessageModel;
}

/**
 * A "data" spec: a versioned struct that is not a request or response but is embedded in one
 * (ConsumerProtocol metadata in JoinGroup/SyncGroup). Its version is carried by whoever embeds
 * it, so it has no header and no api key.
 */
export interface DataModel {
  /** Spec name, e.g. "ConsumerProtocolSubscription". */
  name: string;
  /** kebab-case module name. */
  module: string;
  minVersion: number;
  maxVersion: number;
  message: MessageModel;
}

/**
 * The data specs the client embeds in its own messages. The other "data" specs (records in
 * the metadata log, snapshot markers, principal serialization) are broker-side and not needed.
 */
export const DATA_SPECS: readonly string[] = ['ConsumerProtocolSubscription', 'ConsumerProtocolAssignment'];

export interface Model {
  apis: ApiModel[];
  /** The embedded data specs of DATA_SPECS, in that order. */
  data: DataModel[];
  requestHeader: MessageModel;
  responseHeader: MessageModel;
  source: SpecSource;
  /** Non-fatal findings worth printing. */
  warnings: string[];
}

export function camelCase(specName: string): string {
  return specName.charAt(0).toLowerCase() + specName.slice(1);
}

export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const MAX_VERSION_CAP = 1000;

function finite(r: Range): Range {
  return { lo: r.lo, hi: Math.min(r.hi, MAX_VERSION_CAP) };
}

class MessageBuilder {
  private readonly structsByName = new Map<string, StructModel>();
  private readonly common = new Map<string, { versions: string; fields: RawField[] }>();
  readonly ordered: StructModel[] = [];

  constructor(
    private readonly spec: RawSpec,
    private readonly warnings: string[],
  ) {
    for (const s of spec.commonStructs ?? [])
      this.common.set(s.name, { versions: s.versions, fields: s.fields });
  }

  /** Interface name: the spec's struct name prefixed with the message name unless it already starts with it. */
  private tsName(specName: string): string {
    return specName.startsWith(this.spec.name) ? specName : `${this.spec.name}${specName}`;
  }

  build(ctx: Range): MessageModel {
    const flexible = parseRange(this.spec.flexibleVersions, `${this.spec.name}.flexibleVersions`);
    const root = this.structFor(this.spec.name, this.spec.fields, ctx);
    // The root's interface is the message name itself.
    root.name = this.spec.name;
    this.resolve(root, ctx, flexible);
    return { name: this.spec.name, root, structs: this.ordered, flexible };
  }

  private structFor(specName: string, fields: RawField[], ctx: Range): StructModel {
    let s = this.structsByName.get(specName);
    if (s) {
      if (s.raw !== fields && JSON.stringify(s.raw) !== JSON.stringify(fields)) {
        throw new Error(`${this.spec.name}: two different structs are named ${specName}`);
      }
      s.ctx = { lo: Math.min(s.ctx.lo, ctx.lo), hi: Math.max(s.ctx.hi, ctx.hi) };
      return s;
    }
    s = { name: this.tsName(specName), specName, ctx, flexible: null, fields: [], raw: fields };
    this.structsByName.set(specName, s);
    this.ordered.push(s);
    return s;
  }

  /** Walks the struct tree, widening each struct's context; fields are resolved afterwards. */
  private resolve(root: StructModel, ctx: Range, flexible: Range | null): void {
    const visit = (s: StructModel, c: Range): void => {
      for (const f of s.raw) {
        const fr = intersect(parseRange(f.versions, `${this.spec.name}.${f.name}.versions`), c);
        if (fr === null) continue;
        const target = this.structTarget(f);
        if (target) visit(this.structFor(target.name, target.fields, fr), fr);
      }
    };
    visit(root, ctx);
    for (const s of this.ordered) {
      s.flexible = intersect(flexible, s.ctx);
      s.fields = this.fieldsOf(s, flexible);
    }
  }

  private structTarget(f: RawField): { name: string; fields: RawField[] } | null {
    const base = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
    if (PRIMS.has(base)) return null;
    if (f.fields) return { name: base, fields: f.fields };
    const c = this.common.get(base);
    if (!c) throw new Error(`${this.spec.name}.${f.name}: unknown type ${f.type}`);
    return { name: base, fields: c.fields };
  }

  private fieldsOf(s: StructModel, flexible: Range | null): FieldModel[] {
    const out: FieldModel[] = [];
    const seen = new Set<string>();
    for (const f of s.raw) {
      const where = `${this.spec.name}.${s.specName}.${f.name}`;
      const versions = parseRange(f.versions, `${where}.versions`);
      const present = intersect(versions, s.ctx);
      if (present === null) continue;
      const name = camelCase(f.name);
      if (seen.has(name)) throw new Error(`${where}: duplicate field name ${name}`);
      seen.add(name);

      let type: FieldType;
      const isArray = f.type.startsWith('[]');
      const base = isArray ? f.type.slice(2) : f.type;
      if (PRIMS.has(base)) {
        if (isArray && (base === 'records' || base === 'bytes'))
          throw new Error(`${where}: arrays of ${base}`);
        type = isArray
          ? { kind: 'array', elem: { kind: 'prim', prim: base as Prim } }
          : { kind: 'prim', prim: base as Prim };
      } else {
        const target = this.structTarget(f)!;
        const st = this.structsByName.get(target.name);
        if (!st) throw new Error(`${where}: struct ${target.name} was not resolved`);
        type = isArray
          ? { kind: 'array', elem: { kind: 'struct', struct: st } }
          : { kind: 'struct', struct: st };
      }

      const nullableRaw =
        f.nullableVersions === undefined ? null : parseRange(f.nullableVersions, `${where}.nullableVersions`);
      const nullable = intersect(nullableRaw, present);
      if (nullableRaw !== null) {
        const ok = type.kind !== 'prim' || ['string', 'bytes', 'records', 'uuid'].includes(type.prim);
        if (!ok || (type.kind === 'prim' && type.prim === 'uuid')) {
          throw new Error(`${where}: ${f.type} cannot be nullable`);
        }
      }

      let tagged: Range | null = null;
      if (f.taggedVersions !== undefined) {
        if (f.tag === undefined) throw new Error(`${where}: taggedVersions without a tag`);
        const raw = parseRange(f.taggedVersions, `${where}.taggedVersions`);
        tagged = intersect(raw, present);
        if (raw !== null && (flexible === null || raw.lo < flexible.lo)) {
          throw new Error(`${where}: tagged in versions that are not flexible`);
        }
        if (raw !== null && versions !== null && (raw.lo < versions.lo || raw.hi > versions.hi)) {
          throw new Error(`${where}: taggedVersions ${f.taggedVersions} outside versions ${f.versions}`);
        }
        if (tagged !== null && tagged.hi < present.hi) {
          throw new Error(`${where}: tagged versions must run to the last version of the field`);
        }
      } else if (f.tag !== undefined) {
        throw new Error(`${where}: a tag without taggedVersions`);
      }
      const regular: Range | null =
        tagged === null ? present : tagged.lo > present.lo ? { lo: present.lo, hi: tagged.lo - 1 } : null;

      let fieldFlexible = flexible;
      if (f.flexibleVersions !== undefined) {
        const isStringish =
          type.kind === 'array' ||
          (type.kind === 'prim' && ['string', 'bytes', 'records'].includes(type.prim));
        if (!isStringish)
          throw new Error(`${where}: flexibleVersions only applies to strings, bytes and arrays`);
        fieldFlexible = parseRange(f.flexibleVersions, `${where}.flexibleVersions`);
      }

      out.push({
        specName: f.name,
        name,
        type,
        about: f.about ?? '',
        present,
        tagged,
        regular,
        nullable,
        flexible: intersect(fieldFlexible, present),
        tag: f.tag,
        ignorable: f.ignorable === true,
        default: parseDefault(f, type, nullableRaw !== null, where),
        required: present.lo === s.ctx.lo && present.hi === s.ctx.hi,
        rawVersions: f.versions ?? '',
      });
    }
    const tags = new Set<number>();
    for (const f of out) {
      if (f.tag === undefined) continue;
      if (tags.has(f.tag)) throw new Error(`${this.spec.name}.${s.specName}: tag ${f.tag} used twice`);
      tags.add(f.tag);
    }
    if (out.length === 0)
      this.warnings.push(`${this.spec.name}.${s.specName} has no fields in versions ${show(s.ctx)}`);
    return out;
  }
}

export function show(r: Range | null): string {
  if (r === null) return 'none';
  if (r.hi === Number.POSITIVE_INFINITY || r.hi >= MAX_VERSION_CAP) return `${r.lo}+`;
  return r.lo === r.hi ? `${r.lo}` : `${r.lo}-${r.hi}`;
}

function parseDefault(f: RawField, type: FieldType, nullable: boolean, where: string): DefaultValue {
  const d = f.default;
  if (d === 'null') {
    if (!nullable) throw new Error(`${where}: default null on a field that is never nullable`);
    return { kind: 'null' };
  }
  if (type.kind === 'array') {
    if (d !== undefined && d !== '') throw new Error(`${where}: arrays can only default to null or empty`);
    return { kind: 'empty' };
  }
  if (type.kind === 'struct') {
    if (d !== undefined) throw new Error(`${where}: structs can only default to null`);
    return { kind: 'struct' };
  }
  switch (type.prim) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'uint16':
    case 'uint32': {
      const v = d === undefined ? 0 : parseInteger(d, where);
      const [lo, hi] = {
        int8: [-128, 127],
        int16: [-32768, 32767],
        int32: [-2147483648, 2147483647],
        uint16: [0, 65535],
        uint32: [0, 4294967295],
      }[type.prim];
      if (typeof v !== 'number' || v < lo! || v > hi!) throw new Error(`${where}: default ${d} out of range`);
      return { kind: 'number', value: v };
    }
    case 'int64': {
      const v =
        d === undefined
          ? 0n
          : BigInt(typeof d === 'string' && /^-0x/i.test(d) ? `-${d.slice(1)}` : String(d));
      if (v < -(2n ** 63n) || v > 2n ** 63n - 1n) throw new Error(`${where}: default ${d} out of range`);
      return { kind: 'bigint', value: v };
    }
    case 'float64': {
      const v = d === undefined ? 0 : Number(d);
      if (Number.isNaN(v) && d !== 'NaN') throw new Error(`${where}: bad float default ${d}`);
      return { kind: 'number', value: v };
    }
    case 'bool':
      if (d === undefined || d === false || d === 'false') return { kind: 'bool', value: false };
      if (d === true || d === 'true') return { kind: 'bool', value: true };
      throw new Error(`${where}: bad bool default ${d}`);
    case 'string':
      return { kind: 'string', value: d === undefined ? '' : String(d) };
    case 'uuid':
      if (d !== undefined && d !== '') throw new Error(`${where}: uuid defaults are not supported`);
      return { kind: 'uuid', value: 'AAAAAAAAAAAAAAAAAAAAAA' };
    case 'bytes':
      if (d !== undefined && d !== '') throw new Error(`${where}: bytes can only default to null or empty`);
      return { kind: 'empty' };
    case 'records':
      return { kind: 'null' };
  }
}

function parseInteger(d: string | number | boolean, where: string): number {
  if (typeof d === 'number') return d;
  if (typeof d !== 'string') throw new Error(`${where}: bad integer default ${d}`);
  const m = /^(-?)0x([0-9a-f]+)$/i.exec(d);
  const v = m ? (m[1] ? -1 : 1) * Number.parseInt(m[2]!, 16) : Number(d);
  if (!Number.isInteger(v)) throw new Error(`${where}: bad integer default ${d}`);
  return v;
}

function apiName(specName: string): string {
  return specName.replace(/Request$/, '');
}

export function buildModel(source: SpecSource): Model {
  const warnings: string[] = [];
  const byName = new Map(source.specs.map((s) => [s.name, s]));
  const apis: ApiModel[] = [];
  for (const req of source.specs) {
    if (req.type !== 'request' || !req.listeners?.includes('broker')) continue;
    const name = apiName(req.name);
    const res = byName.get(`${name}Response`);
    if (!res) throw new Error(`${req.name} has no response spec`);
    if (res.apiKey !== req.apiKey) throw new Error(`${name}: request and response api keys differ`);
    const valid = parseRange(req.validVersions, `${req.name}.validVersions`);
    if (valid === null) continue;
    const hi = req.latestVersionUnstable ? valid.hi - 1 : valid.hi;
    if (hi < valid.lo) continue;
    const ctx = { lo: valid.lo, hi };
    const resValid = parseRange(res.validVersions, `${res.name}.validVersions`);
    if (resValid === null || resValid.lo > ctx.lo || resValid.hi < ctx.hi) {
      throw new Error(
        `${name}: response versions ${res.validVersions} do not cover request versions ${show(ctx)}`,
      );
    }
    if (resValid.lo !== valid.lo || resValid.hi !== valid.hi) {
      warnings.push(
        `${name}: response versions ${res.validVersions} differ from request ${req.validVersions}`,
      );
    }
    const request = new MessageBuilder(req, warnings).build(ctx);
    const response = new MessageBuilder(res, warnings).build(ctx);
    apis.push({
      apiKey: req.apiKey!,
      name,
      module: kebabCase(name),
      minVersion: ctx.lo,
      maxVersion: ctx.hi,
      flexibleVersion: request.flexible ? Math.max(request.flexible.lo, ctx.lo) : -1,
      responseFlexibleVersion: response.flexible ? Math.max(response.flexible.lo, ctx.lo) : -1,
      request,
      response,
    });
  }
  apis.sort((a, b) => a.apiKey - b.apiKey);
  const keys = new Set<number>();
  for (const a of apis) {
    if (keys.has(a.apiKey)) throw new Error(`api key ${a.apiKey} used twice`);
    keys.add(a.apiKey);
  }
  const header = (name: string, lo: number): MessageModel => {
    const spec = byName.get(name);
    if (!spec) throw new Error(`no ${name} spec`);
    const valid = parseRange(spec.validVersions, `${name}.validVersions`)!;
    // RequestHeader v0 (no client id) went with ControlledShutdown v0; it is kept so old frames decode.
    return new MessageBuilder(spec, warnings).build({ lo: Math.min(lo, valid.lo), hi: valid.hi });
  };
  const data = DATA_SPECS.map((name): DataModel => {
    const spec = byName.get(name);
    if (!spec) throw new Error(`no ${name} spec`);
    if (spec.type !== 'data') throw new Error(`${name} is a ${spec.type} spec, not data`);
    const valid = parseRange(spec.validVersions, `${name}.validVersions`);
    if (valid === null) throw new Error(`${name} has no valid versions`);
    const ctx = finite(valid);
    return {
      name,
      module: kebabCase(name),
      minVersion: ctx.lo,
      maxVersion: ctx.hi,
      message: new MessageBuilder(spec, warnings).build(ctx),
    };
  });
  const model: Model = {
    apis,
    data,
    requestHeader: header('RequestHeader', 0),
    responseHeader: header('ResponseHeader', 0),
    source,
    warnings,
  };
  checkUniqueNames(model);
  return model;
}

function checkUniqueNames(model: Model): void {
  const seen = new Map<string, string>();
  const add = (name: string, where: string) => {
    const prev = seen.get(name);
    if (prev !== undefined) throw new Error(`exported name ${name} is used by both ${prev} and ${where}`);
    seen.set(name, where);
  };
  for (const m of [model.requestHeader, model.responseHeader]) for (const s of m.structs) add(s.name, m.name);
  for (const api of model.apis) {
    add(api.name, api.module);
    for (const m of [api.request, api.response]) for (const s of m.structs) add(s.name, api.module);
  }
  for (const d of model.data) for (const s of d.message.structs) add(s.name, d.module);
}

export { finite };
