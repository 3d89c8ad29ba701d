import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMetricsData, encodeMetricsData } from '../../../src/telemetry/otlp.js';
import { readFields } from '../../../src/telemetry/protobuf.js';

describe('OTLP MetricsData encoding', () => {
  const data = {
    resource: { client_id: 'app', pid: 42 },
    scope: { name: 'kafkats', version: '1.0.0' },
    metrics: [
      {
        name: 'org.apache.kafka.client.producer.record.queue.time.avg',
        unit: 'ms',
        description: 'queue time',
        kind: 'gauge' as const,
        points: [{ value: 12.5, timeMs: 1_700_000_000_123 }],
      },
      {
        name: 'org.apache.kafka.client.producer.connection.creation.total',
        kind: 'sum' as const,
        temporality: 'delta' as const,
        points: [
          {
            value: 3,
            integer: true,
            startTimeMs: 1_700_000_000_000,
            timeMs: 1_700_000_001_000,
            attributes: { node_id: '1' },
          },
        ],
      },
    ],
  };

  it('round-trips names, values, units, temporality, attributes and times', () => {
    assert.deepEqual(decodeMetricsData(encodeMetricsData(data)), data);
  });

  it('writes the field numbers of metrics.proto (resource_metrics 1 → scope_metrics 2 → metrics 2)', () => {
    const top = readFields(encodeMetricsData(data));
    assert.deepEqual(
      top.map((f) => [f.field, f.wire]),
      [[1, 2]],
    );
    const rm = readFields(top[0]!.bytes!);
    assert.deepEqual(
      rm.map((f) => f.field),
      [1, 2],
    );
    const sm = readFields(rm[1]!.bytes!);
    assert.deepEqual(
      sm.map((f) => f.field),
      [1, 2, 2],
    );
    // The sum is field 7 of Metric, with aggregation_temporality (2) = DELTA (1), is_monotonic (3) = true.
    const sum = readFields(sm[2]!.bytes!).find((f) => f.field === 7)!;
    const body = readFields(sum.bytes!);
    assert.equal(body.find((f) => f.field === 2)!.varint, 1n);
    assert.equal(body.find((f) => f.field === 3)!.varint, 1n);
  });

  it('rejects truncated input with a RangeError instead of reading past the end', () => {
    const bytes = encodeMetricsData(data);
    assert.throws(() => decodeMetricsData(bytes.subarray(0, bytes.length - 3)), RangeError);
  });
});
