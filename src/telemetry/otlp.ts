/**
 * OTLP `MetricsData` (opentelemetry/proto/metrics/v1/metrics.proto), the payload format of
 * KIP-714's PushTelemetry: the subset a Kafka client needs (resource attributes, one
 * instrumentation scope, gauges and sums of numbers) and a decoder for the same subset.
 */
import { ProtoWriter, readFields } from './protobuf.js';

export type AttributeValue = string | number;

/** One number metric as pushed: a gauge, or a monotonic sum (counter). */
export interface OtlpMetric {
  name: string;
  description?: string;
  unit?: string;
  kind: 'gauge' | 'sum';
  /** Sums only: `delta` values count since the previous push, `cumulative` since `startTimeMs`. */
  temporality?: 'delta' | 'cumulative';
  points: OtlpPoint[];
}

export interface OtlpPoint {
  value: number;
  /** Integers are encoded as `as_int`, others as `as_double`. */
  integer?: boolean;
  attributes?: Record<string, AttributeValue>;
  startTimeMs?: number;
  timeMs: number;
}

export interface OtlpMetricsData {
  resource: Record<string, AttributeValue>;
  scope: { name: string; version?: string };
  metrics: OtlpMetric[];
}

/** AggregationTemporality in the proto. */
const DELTA = 1;
const CUMULATIVE = 2;

const nanos = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;

function keyValue(key: string, value: AttributeValue): ProtoWriter {
  const any = new ProtoWriter();
  if (typeof value === 'string') any.string(1, value);
  else if (Number.isInteger(value)) any.uint(3, BigInt(value));
  else any.double(4, value);
  return new ProtoWriter().string(1, key).message(2, any);
}

function point(p: OtlpPoint): ProtoWriter {
  const w = new ProtoWriter();
  if (p.startTimeMs !== undefined) w.fixed64(2, nanos(p.startTimeMs));
  w.fixed64(3, nanos(p.timeMs));
  if (p.integer && Number.isSafeInteger(p.value)) {
    // sfixed64 shares the fixed64 wire format.
    w.fixed64(6, BigInt(p.value));
  } else w.double(4, p.value);
  for (const [k, v] of Object.entries(p.attributes ?? {})) w.message(7, keyValue(k, v));
  return w;
}

/** Encodes `MetricsData` with one ResourceMetrics and one ScopeMetrics. */
export function encodeMetricsData(data: OtlpMetricsData): Buffer {
  const resource = new ProtoWriter();
  for (const [k, v] of Object.entries(data.resource)) resource.message(1, keyValue(k, v));
  const scope = new ProtoWriter().string(1, data.scope.name);
  if (data.scope.version !== undefined) scope.string(2, data.scope.version);
  const scopeMetrics = new ProtoWriter().message(1, scope);
  for (const m of data.metrics) {
    const metric = new ProtoWriter().string(1, m.name);
    if (m.description) metric.string(2, m.description);
    if (m.unit) metric.string(3, m.unit);
    const body = new ProtoWriter();
    for (const p of m.points) body.message(1, point(p));
    if (m.kind === 'gauge') metric.message(5, body);
    else {
      body.uint(2, m.temporality === 'delta' ? DELTA : CUMULATIVE).bool(3, true);
      metric.message(7, body);
    }
    scopeMetrics.message(2, metric);
  }
  const resourceMetrics = new ProtoWriter().message(1, resource).message(2, scopeMetrics);
  return new ProtoWriter().message(1, resourceMetrics).finish();
}

function decodeAny(data: Buffer): AttributeValue {
  for (const f of readFields(data)) {
    if (f.field === 1) return f.bytes!.toString('utf8');
    if (f.field === 3) return Number(BigInt.asIntN(64, f.varint!));
    if (f.field === 4) return f.bytes!.readDoubleLE(0);
    if (f.field === 2) return Number(f.varint!);
  }
  return '';
}

function decodeAttributes(
  fields: ReturnType<typeof readFields>,
  field: number,
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const f of fields) {
    if (f.field !== field) continue;
    let key = '';
    let value: AttributeValue = '';
    for (const kv of readFields(f.bytes!)) {
      if (kv.field === 1) key = kv.bytes!.toString('utf8');
      else if (kv.field === 2) value = decodeAny(kv.bytes!);
    }
    out[key] = value;
  }
  return out;
}

const millis = (b: Buffer): number => Number(b.readBigUInt64LE(0) / 1_000_000n);

function decodePoint(data: Buffer): OtlpPoint {
  const fields = readFields(data);
  const p: OtlpPoint = { value: 0, timeMs: 0 };
  for (const f of fields) {
    if (f.field === 2) p.startTimeMs = millis(f.bytes!);
    else if (f.field === 3) p.timeMs = millis(f.bytes!);
    else if (f.field === 4) p.value = f.bytes!.readDoubleLE(0);
    else if (f.field === 6) {
      p.value = Number(f.bytes!.readBigInt64LE(0));
      p.integer = true;
    }
  }
  const attributes = decodeAttributes(fields, 7);
  if (Object.keys(attributes).length > 0) p.attributes = attributes;
  return p;
}

function decodeMetric(data: Buffer): OtlpMetric {
  const m: OtlpMetric = { name: '', kind: 'gauge', points: [] };
  for (const f of readFields(data)) {
    if (f.field === 1) m.name = f.bytes!.toString('utf8');
    else if (f.field === 2) m.description = f.bytes!.toString('utf8');
    else if (f.field === 3) m.unit = f.bytes!.toString('utf8');
    else if (f.field === 5 || f.field === 7) {
      m.kind = f.field === 5 ? 'gauge' : 'sum';
      for (const g of readFields(f.bytes!)) {
        if (g.field === 1) m.points.push(decodePoint(g.bytes!));
        else if (g.field === 2) m.temporality = Number(g.varint) === DELTA ? 'delta' : 'cumulative';
      }
    }
  }
  return m;
}

/** Decodes what {@link encodeMetricsData} writes (every ResourceMetrics and ScopeMetrics merged). */
export function decodeMetricsData(data: Buffer): OtlpMetricsData {
  const out: OtlpMetricsData = { resource: {}, scope: { name: '' }, metrics: [] };
  for (const rm of readFields(data)) {
    if (rm.field !== 1) continue;
    for (const f of readFields(rm.bytes!)) {
      if (f.field === 1) Object.assign(out.resource, decodeAttributes(readFields(f.bytes!), 1));
      else if (f.field === 2) {
        for (const s of readFields(f.bytes!)) {
          if (s.field === 1) {
            for (const sf of readFields(s.bytes!)) {
              if (sf.field === 1) out.scope.name = sf.bytes!.toString('utf8');
              else if (sf.field === 2) out.scope.version = sf.bytes!.toString('utf8');
            }
          } else if (s.field === 2) out.metrics.push(decodeMetric(s.bytes!));
        }
      }
    }
  }
  return out;
}
