/**
 * Wiring kafkats' diagnostics_channel spans into OpenTelemetry.
 *
 * kafkats depends on no OpenTelemetry package: it publishes `kafkats:produce`, `kafkats:consume`,
 * `kafkats:commit` and `kafkats:rebalance` TracingChannels whose context carries the
 * OpenTelemetry messaging attributes. This program subscribes to them and turns each operation
 * into a span. With `@opentelemetry/api` installed (`npm install @opentelemetry/api` plus an SDK
 * that registers a tracer provider) the spans go to your exporter; without it, a console tracer
 * prints them, so the example runs as it is:
 *
 *   KAFKA_BOOTSTRAP_SERVERS=localhost:9092 npx tsx examples/opentelemetry/index.ts
 *
 * OTEL_EXAMPLE_CONSOLE=1 forces the console tracer even when the package is installed.
 *
 * In your own code, replace `loadTracer()` by `trace.getTracer('kafkats')` from
 * `@opentelemetry/api` and keep `instrumentKafkats()` as it is: the `Tracer` interface below is
 * the subset of OpenTelemetry's that it uses.
 */
import { Kafka, logLevel } from '../../src/index.js';
import {
  commitChannel,
  consumeChannel,
  type OperationTraceContext,
  produceChannel,
  rebalanceChannel,
} from '../../src/observability/index.js';

/** The part of `@opentelemetry/api`'s Span that this example uses. */
interface Span {
  setAttributes(attributes: Record<string, string | number | boolean>): unknown;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of `@opentelemetry/api`'s Tracer that this example uses. */
interface Tracer {
  startSpan(
    name: string,
    options: { kind: number; attributes: Record<string, string | number | boolean> },
  ): Span;
}

// OpenTelemetry's SpanKind and SpanStatusCode values.
const SpanKind = { INTERNAL: 0, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const;
const ERROR_STATUS = 2;

type Channel = typeof produceChannel;

/** Subscribes to the kafkats channels; returns the function that unsubscribes. */
export function instrumentKafkats(tracer: Tracer): () => void {
  const spans = new WeakMap<OperationTraceContext, Span>();
  const subscriptions: Array<[Channel, Parameters<Channel['subscribe']>[0]]> = [];

  const follow = (channel: Channel, kind: number) => {
    const handlers = {
      start(context: OperationTraceContext) {
        spans.set(context, tracer.startSpan(context.name, { kind, attributes: context.attributes }));
      },
      end() {},
      asyncStart() {},
      error(context: OperationTraceContext) {
        const span = spans.get(context);
        if (!span) return;
        const error = context.error;
        span.recordException(error instanceof Error ? error : String(error));
        span.setAttributes({ 'error.type': error instanceof Error ? error.name : 'Error' });
        span.setStatus({ code: ERROR_STATUS, message: error instanceof Error ? error.message : undefined });
      },
      asyncEnd(context: OperationTraceContext) {
        const span = spans.get(context);
        if (!span) return;
        // Attributes known only once settled (the partition a send landed on).
        span.setAttributes(context.attributes);
        span.end();
        spans.delete(context);
      },
    };
    channel.subscribe(handlers);
    subscriptions.push([channel, handlers]);
  };

  follow(produceChannel, SpanKind.PRODUCER);
  follow(consumeChannel, SpanKind.CONSUMER);
  follow(commitChannel, SpanKind.CLIENT);
  follow(rebalanceChannel, SpanKind.INTERNAL);
  return () => {
    for (const [channel, handlers] of subscriptions) channel.unsubscribe(handlers);
  };
}

/** Spans the console tracer printed (undefined when it is not used), checked at the end of main(). */
let printedSpans: number | undefined;

/** Prints each span when it ends, one line with its attributes as JSON: what an exporter would receive. */
function consoleTracer(): Tracer {
  printedSpans = 0;
  return {
    startSpan(name, { kind, attributes }) {
      const started = performance.now();
      const attrs = { ...attributes };
      let status = 'ok';
      return {
        setAttributes: (a) => Object.assign(attrs, a),
        recordException: (e) => {
          status = `error: ${e instanceof Error ? e.message : e}`;
        },
        setStatus: () => undefined,
        end: () => {
          printedSpans = (printedSpans ?? 0) + 1;
          console.log(
            `[span] ${name} kind=${kind} ${(performance.now() - started).toFixed(1)} ms ${status} ${JSON.stringify(attrs)}`,
          );
        },
      };
    },
  };
}

/** `@opentelemetry/api`'s tracer when the package is installed, the console tracer otherwise. */
async function loadTracer(): Promise<Tracer> {
  if (process.env.OTEL_EXAMPLE_CONSOLE === '1') {
    console.log('OTEL_EXAMPLE_CONSOLE=1: printing spans to the console');
    return consoleTracer();
  }
  const specifier = '@opentelemetry/api'; // a variable, so that type-checking does not need the package
  try {
    const api = (await import(specifier)) as { trace: { getTracer(name: string, version?: string): Tracer } };
    console.log('Using @opentelemetry/api (register an SDK tracer provider to export the spans)');
    return api.trace.getTracer('kafkats');
  } catch {
    console.log('@opentelemetry/api is not installed: printing spans to the console');
    return consoleTracer();
  }
}

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092').split(',');
  const stop = instrumentKafkats(await loadTracer());
  const kafka = new Kafka({ clientId: 'otel-example', brokers, logLevel: logLevel.WARN });
  const topic = `otel-example-${Date.now()}`;
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 200 });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'order-1', value: JSON.stringify({ total: 42 }) }] });

    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen++;
        console.log(`handled ${message.key?.toString()} at offset ${message.offset}`);
      },
    });
    const deadline = Date.now() + 20_000;
    while (seen === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (seen === 0) throw new Error('the record was not consumed within 20 s');
    console.log('producer metrics', JSON.stringify(producer.metrics()));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    stop();
  }
  // With the console tracer, no printed span means the channels were not wired: fail loudly.
  if (printedSpans === 0) throw new Error('tracing is wired, yet no span was printed');
  console.log(`opentelemetry: OK${printedSpans === undefined ? '' : ` (${printedSpans} spans printed)`}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
