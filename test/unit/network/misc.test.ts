import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSError, KafkaProtocolError } from '../../../src/errors/base.js';
import { KafkaJSInvalidArgument, KafkaJSNumberOfRetriesExceeded } from '../../../src/errors/network.js';
import { Kafka } from '../../../src/kafka.js';
import { createLogger, type LogEntry, logLevel } from '../../../src/logger.js';
import { FrameDecoder } from '../../../src/network/framing.js';
import { reauthenticationDelay } from '../../../src/network/handshake.js';
import { nominalDelay, randomizedDelay, retry } from '../../../src/network/retry.js';

function frame(id: number, extra = 0): Buffer {
  const b = Buffer.alloc(8 + extra);
  b.writeInt32BE(4 + extra, 0);
  b.writeInt32BE(id, 4);
  return b;
}

describe('FrameDecoder', () => {
  it('reassembles partial frames and splits several frames in one chunk', () => {
    const got: number[] = [];
    const d = new FrameDecoder((f) => got.push(f.readInt32BE(0)));
    const all = Buffer.concat([frame(1, 10), frame(2), frame(3, 100)]);
    for (let i = 0; i < all.length; i += 3) d.push(all.subarray(i, i + 3));
    d.push(Buffer.concat([frame(4), frame(5), frame(6, 1).subarray(0, 2)]));
    d.push(frame(6, 1).subarray(2));
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
    assert.equal(d.pendingBytes, 0);
  });

  it('refuses an oversize or negative frame with KafkaProtocolError', () => {
    const d = new FrameDecoder(() => {}, 1024);
    const big = Buffer.alloc(4);
    big.writeInt32BE(2048, 0);
    assert.throws(() => d.push(big), KafkaProtocolError);
    const neg = Buffer.alloc(4);
    neg.writeInt32BE(-5, 0);
    assert.throws(() => new FrameDecoder(() => {}).push(neg), KafkaProtocolError);
  });
});

describe('retry', () => {
  it('keeps each delay within ±factor of the nominal exponential value', () => {
    for (let i = 0; i < 200; i++) {
      const d = randomizedDelay(300, 0.2);
      assert.ok(d >= 240 && d <= 360, String(d));
    }
    assert.deepEqual(
      [0, 1, 2, 3, 10].map((n) => nominalDelay(n)),
      [300, 600, 1200, 2400, 30_000],
    );
  });

  it('retries retriable errors, then throws KafkaJSNumberOfRetriesExceeded wrapping the cause', async () => {
    let calls = 0;
    const delays: number[] = [];
    const cause = new KafkaJSError('flaky', { retriable: true });
    const err = await retry(
      async () => {
        calls++;
        throw cause;
      },
      { retries: 3, initialRetryTime: 100 },
      { sleep: async (ms) => void delays.push(ms) },
    ).catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSNumberOfRetriesExceeded);
    assert.equal(err.cause, cause);
    assert.equal(err.retryCount, 3);
    assert.equal(calls, 4);
    assert.ok(delays[0]! >= 80 && delays[0]! <= 120);
    assert.ok(delays[2]! >= 0.8 * 0.8 * 0.8 * 400 && delays[2]! <= 1.2 * 1.2 * 1.2 * 400);
  });

  it('does not retry a non-retriable error, and succeeds after transient failures', async () => {
    let calls = 0;
    const fatal = new KafkaJSError('no', { retriable: false });
    await assert.rejects(
      retry(async () => {
        calls++;
        throw fatal;
      }),
      (e) => e === fatal,
    );
    assert.equal(calls, 1);
    let n = 0;
    const v = await retry(
      async () => {
        if (n++ < 2) throw new KafkaJSError('again', { retriable: true });
        return 'ok';
      },
      {},
      { sleep: async () => {} },
    );
    assert.equal(v, 'ok');
  });

  it('caps each wait at maxRetryTime, as KafkaJS does, rather than the total of the waits', async () => {
    const delays: number[] = [];
    const err = await retry(
      async () => {
        throw new KafkaJSError('flaky', { retriable: true });
      },
      { retries: 6, initialRetryTime: 100, maxRetryTime: 250, factor: 0 },
      { sleep: async (ms) => void delays.push(ms) },
    ).catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSNumberOfRetriesExceeded);
    assert.deepEqual(delays, [100, 200, 250, 250, 250, 250]);
    assert.ok(delays.reduce((a, b) => a + b) > 250, 'the waits together may exceed maxRetryTime');
  });

  it('lets the caller choose what is retriable and get the last error itself when retries run out', async () => {
    const plain = Object.assign(new Error('coordinator moving'), { retriable: true });
    let calls = 0;
    const err = await retry(
      async () => {
        calls++;
        throw plain;
      },
      { retries: 2, initialRetryTime: 1 },
      {
        isRetriable: (e) => (e as { retriable?: boolean }).retriable === true,
        exhausted: 'rethrow',
        sleep: async () => {},
      },
    ).catch((e: unknown) => e);
    assert.equal(err, plain);
    assert.equal(calls, 3);
  });
});

describe('logger', () => {
  it('filters by level, carries namespaces, and redacts secrets', () => {
    const entries: LogEntry[] = [];
    const logger = createLogger({ level: logLevel.WARN, logCreator: () => (e) => entries.push(e) });
    logger.info('hidden');
    logger
      .namespace('Connection')
      .warn('shown', { broker: 'b:1', password: 'hunter2', nested: { token: 't' } });
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.namespace, 'Connection');
    assert.equal(entries[0]!.label, 'WARN');
    assert.equal(entries[0]!.log.message, 'shown');
    assert.ok(!JSON.stringify(entries).includes('hunter2'));
    logger.setLogLevel(logLevel.DEBUG);
    logger.debug('now shown');
    assert.equal(entries.length, 2);
    logger.namespace('Quiet', logLevel.ERROR).warn('dropped');
    assert.equal(entries.length, 2);
  });

  it('accepts a pino-compatible object', () => {
    const calls: Array<[string, object, string | undefined]> = [];
    const sink = (level: string) => (obj: object, msg?: string) => void calls.push([level, obj, msg]);
    const kafka = new Kafka({
      brokers: ['localhost:9092'],
      logger: { error: sink('error'), warn: sink('warn'), info: sink('info'), debug: sink('debug') },
    });
    kafka.logger().namespace('X').info('hello', { a: 1 });
    assert.equal(calls[0]![0], 'info');
    assert.equal(calls[0]![2], 'hello');
    assert.equal((calls[0]![1] as { namespace: string }).namespace, 'X');
  });
});

describe('Kafka options', () => {
  const bad: Array<[string, object]> = [
    ['brokers', { brokers: [] }],
    ['brokers', { brokers: ['no port here:'] }],
    ['clientId', { brokers: ['a:1'], clientId: 5 }],
    ['requestTimeout', { brokers: ['a:1'], requestTimeout: -1 }],
    ['sasl.mechanism', { brokers: ['a:1'], sasl: { mechanism: 'gssapi' } }],
    ['sasl.password', { brokers: ['a:1'], sasl: { mechanism: 'plain', username: 'u' } }],
    ['retry.retries', { brokers: ['a:1'], retry: { retries: 'x' } }],
    ['logLevel', { brokers: ['a:1'], logLevel: 3 }],
    ['ssl', { brokers: ['a:1'], ssl: 'yes' }],
  ];
  for (const [option, config] of bad) {
    it(`names "${option}" when it is wrong`, () => {
      assert.throws(
        () => new Kafka(config as never),
        (e: unknown) => e instanceof KafkaJSInvalidArgument && e.option === option && !e.retriable,
      );
    });
  }

  it('accepts a brokers provider and redacts the config it describes', () => {
    const kafka = new Kafka({
      brokers: async () => ['a:1'],
      sasl: { mechanism: 'plain', username: 'u', password: 'hunter2' },
    });
    assert.ok(!JSON.stringify(kafka.describeConfig()).includes('hunter2'));
  });
});

describe('re-authentication timing', () => {
  it('lands at 85–95 % of the session, and at least the threshold before its end', () => {
    assert.equal(reauthenticationDelay(100_000, 10_000, 0), 85_000);
    assert.equal(reauthenticationDelay(100_000, 10_000, 1), 90_000);
    assert.equal(reauthenticationDelay(10_000, 10_000, 0.5), 9_000);
  });
});
