import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../../src/logger.js';
import { Codes } from '../../../src/protocol/codes.js';
import { CompressionTypes, decompress } from '../../../src/protocol/compression/index.js';
import type { GetTelemetrySubscriptionsResponse } from '../../../src/protocol/messages/get-telemetry-subscriptions.js';
import type { PushTelemetryRequest } from '../../../src/protocol/messages/push-telemetry.js';
import type { MetricSample } from '../../../src/telemetry/client-metrics.js';
import { decodeMetricsData } from '../../../src/telemetry/otlp.js';
import { type TelemetryConnection, TelemetryReporter } from '../../../src/telemetry/reporter.js';
import { isRequested, readSubscription } from '../../../src/telemetry/subscription.js';

/**
 * The reporter's state machine against a scripted connection. What a real broker does with the
 * pushes is covered by test/integration/observability/client-metrics.test.ts.
 */

const INSTANCE = 'AAAAAAAAAAAAAAAAAAAAAQ';

function subscription(
  over: Partial<GetTelemetrySubscriptionsResponse> = {},
): GetTelemetrySubscriptionsResponse {
  return {
    throttleTimeMs: 0,
    errorCode: Codes.NONE,
    clientInstanceId: INSTANCE,
    subscriptionId: 7,
    acceptedCompressionTypes: [],
    pushIntervalMs: 50,
    telemetryMaxBytes: 1 << 20,
    deltaTemporality: false,
    requestedMetrics: [''],
    ...over,
  };
}

class Logs {
  readonly lines: Array<{ level: string; message: string }> = [];
  readonly logger: Logger = {
    error: (message) => this.lines.push({ level: 'error', message }),
    warn: (message) => this.lines.push({ level: 'warn', message }),
    info: (message) => this.lines.push({ level: 'info', message }),
    debug: (message) => this.lines.push({ level: 'debug', message }),
    namespace: () => this.logger,
    setLogLevel: () => {},
  };
}

class ScriptedBroker implements TelemetryConnection {
  readonly apiVersions = new Map<number, unknown>([
    [71, {}],
    [72, {}],
  ]);
  readonly pushes: PushTelemetryRequest[] = [];
  subscriptionsAsked = 0;
  pushError: number = Codes.NONE;
  failNext = 0;

  constructor(public subscription: () => GetTelemetrySubscriptionsResponse) {}

  async send<Req, Res>(api: { apiKey: number }, body: Req): Promise<Res> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection reset');
    }
    if (api.apiKey === 71) {
      this.subscriptionsAsked++;
      return this.subscription() as Res;
    }
    this.pushes.push(body as PushTelemetryRequest);
    return { throttleTimeMs: 0, errorCode: this.pushError } as Res;
  }
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function reporter(broker: ScriptedBroker, logs: Logs, samples: () => MetricSample[]) {
  return new TelemetryReporter({
    connection: async () => broker,
    collect: samples,
    resource: { client_id: 'unit' },
    logger: logs.logger,
    random: () => 0,
  });
}

async function pushed(push: PushTelemetryRequest) {
  return decodeMetricsData(await decompress(push.compressionType, push.metrics));
}

describe('KIP-714 subscriptions', () => {
  it('matches metric names by prefix; an empty list requests nothing, "" or "*" everything', () => {
    assert.equal(
      isRequested(['org.apache.kafka.client.producer.'], 'org.apache.kafka.client.producer.x'),
      true,
    );
    assert.equal(
      isRequested(['org.apache.kafka.client.producer.'], 'org.apache.kafka.client.consumer.x'),
      false,
    );
    assert.equal(isRequested([], 'anything'), false);
    assert.equal(isRequested([''], 'anything'), true);
    assert.equal(isRequested(['*'], 'anything'), true);
  });

  it('ignores a zero or negative push interval instead of pushing in a loop', () => {
    const logs = new Logs();
    for (const pushIntervalMs of [0, -5]) {
      const read = readSubscription(subscription({ pushIntervalMs }), logs.logger);
      assert.ok('ignored' in read && /push interval/.test(read.ignored));
    }
  });

  it('drops unknown compression types with a warning and keeps the known ones in order', () => {
    const logs = new Logs();
    const read = readSubscription(subscription({ acceptedCompressionTypes: [42, 4, 1, 0] }), logs.logger);
    assert.ok('subscription' in read);
    assert.deepEqual(read.subscription.compressionTypes, [4, 1]);
    assert.ok(logs.lines.some((l) => l.level === 'warn' && /compression/.test(l.message)));
  });
});

describe('TelemetryReporter', () => {
  const samples = (): MetricSample[] => [
    { name: 'org.apache.kafka.client.producer.connection.creation.total', kind: 'sum', value: 10 },
    { name: 'org.apache.kafka.client.producer.record.queue.time.avg', kind: 'gauge', value: 2.5 },
    { name: 'org.apache.kafka.client.consumer.poll.idle.ratio.avg', kind: 'gauge', value: 0.5 },
  ];

  it('pushes only the requested prefixes, at the interval, and a terminating push on close', async () => {
    const broker = new ScriptedBroker(() =>
      subscription({ requestedMetrics: ['org.apache.kafka.client.producer.record'] }),
    );
    const r = reporter(broker, new Logs(), samples);
    r.start();
    await until(() => broker.pushes.length >= 2, 'two pushes');
    await r.close();
    const last = broker.pushes[broker.pushes.length - 1]!;
    assert.equal(last.terminating, true);
    assert.equal(last.clientInstanceId, INSTANCE);
    assert.equal(last.subscriptionId, 7);
    const data = await pushed(broker.pushes[0]!);
    assert.deepEqual(
      data.metrics.map((m) => m.name),
      ['org.apache.kafka.client.producer.record.queue.time.avg'],
    );
    assert.equal(data.resource.client_id, 'unit');
  });

  it('sends sums as deltas when the subscription asks for delta temporality', async () => {
    let total = 10;
    const broker = new ScriptedBroker(() => subscription({ deltaTemporality: true }));
    const r = reporter(broker, new Logs(), () => [
      { name: 'org.apache.kafka.client.producer.connection.creation.total', kind: 'sum', value: total },
    ]);
    r.start();
    await until(() => broker.pushes.length >= 1, 'first push');
    total = 14;
    await until(() => broker.pushes.length >= 2, 'second push');
    await r.close();
    const first = (await pushed(broker.pushes[0]!)).metrics[0]!;
    const second = (await pushed(broker.pushes[1]!)).metrics[0]!;
    assert.equal(first.temporality, 'delta');
    assert.equal(first.points[0]!.value, 10);
    assert.equal(second.points[0]!.value, 4);
  });

  it('compresses with the first accepted codec it can load; unknown codes fall back to none', async () => {
    const gzip = new ScriptedBroker(() =>
      subscription({ acceptedCompressionTypes: [CompressionTypes.GZIP] }),
    );
    const a = reporter(gzip, new Logs(), samples);
    a.start();
    await until(() => gzip.pushes.length >= 1, 'gzip push');
    await a.close();
    assert.equal(gzip.pushes[0]!.compressionType, CompressionTypes.GZIP);

    const logs = new Logs();
    const unknown = new ScriptedBroker(() => subscription({ acceptedCompressionTypes: [99] }));
    const b = reporter(unknown, logs, samples);
    b.start();
    await until(() => unknown.pushes.length >= 1, 'uncompressed push');
    await b.close();
    assert.equal(unknown.pushes[0]!.compressionType, CompressionTypes.None);
    assert.ok(logs.lines.some((l) => l.level === 'warn'));
  });

  it('logs and ignores a zero push interval: no pushes, no crash, and close() still resolves', async () => {
    const logs = new Logs();
    const broker = new ScriptedBroker(() => subscription({ pushIntervalMs: 0 }));
    const r = reporter(broker, logs, samples);
    r.start();
    await until(() => broker.subscriptionsAsked >= 1, 'the subscription');
    await until(
      () => logs.lines.some((l) => l.level === 'warn' && /Ignoring/.test(l.message)),
      'the warning',
    );
    await new Promise((res) => setTimeout(res, 100));
    await r.close();
    assert.equal(broker.pushes.length, 0);
  });

  it('backs off and asks for the subscription again after a failed request', async () => {
    const broker = new ScriptedBroker(() => subscription());
    broker.failNext = 2;
    const r = reporter(broker, new Logs(), samples);
    r.start();
    await until(() => broker.pushes.length >= 1, 'a push after two failures');
    await r.close();
    assert.ok(broker.subscriptionsAsked >= 1);
  });

  it('asks for the subscription again on UNKNOWN_SUBSCRIPTION_ID, and stops on INVALID_RECORD', async () => {
    const broker = new ScriptedBroker(() => subscription());
    broker.pushError = Codes.UNKNOWN_SUBSCRIPTION_ID;
    const r = reporter(broker, new Logs(), samples);
    r.start();
    await until(() => broker.subscriptionsAsked >= 3, 'subscriptions asked again');
    await r.close();

    const logs = new Logs();
    const refusing = new ScriptedBroker(() => subscription());
    refusing.pushError = Codes.INVALID_RECORD;
    const s = reporter(refusing, logs, samples);
    s.start();
    await until(() => refusing.pushes.length >= 1, 'the refused push');
    await new Promise((res) => setTimeout(res, 200));
    await s.close();
    assert.equal(refusing.pushes.length, 1, 'no further pushes, not even a terminating one');
    assert.ok(logs.lines.some((l) => l.level === 'error'));
  });

  it('stays quiet when the broker does not offer the telemetry APIs', async () => {
    const broker = new ScriptedBroker(() => subscription());
    broker.apiVersions.delete(71);
    const r = reporter(broker, new Logs(), samples);
    r.start();
    await new Promise((res) => setTimeout(res, 50));
    await r.close();
    assert.equal(broker.subscriptionsAsked, 0);
    assert.equal(broker.pushes.length, 0);
  });
});

describe('enableMetricsPush option', () => {
  it('refuses a value that is not a boolean, naming the option', async () => {
    const { Kafka } = await import('../../../src/kafka.js');
    const { KafkaJSInvalidArgument } = await import('../../../src/errors/network.js');
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], enableMetricsPush: 'yes' as never });
    assert.throws(
      () => kafka.producer(),
      (e: unknown) => e instanceof KafkaJSInvalidArgument && /enableMetricsPush/.test((e as Error).message),
    );
    assert.throws(
      () => kafka.consumer({ groupId: 'g', enableMetricsPush: 1 as never }),
      KafkaJSInvalidArgument,
    );
    // Off by the client's own option, whatever the Kafka config says.
    assert.doesNotThrow(() => kafka.producer({ enableMetricsPush: false }));
  });
});
