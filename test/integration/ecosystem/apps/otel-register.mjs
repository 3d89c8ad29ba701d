/**
 * OpenTelemetry's set-up for an ESM service, loaded with `node --import ./otel-register.mjs`
 * before the app: the instrumentation's ESM hook (import-in-the-middle) registered with Node's
 * module loader, then the Node SDK's tracer provider with an in-memory exporter and the KafkaJS
 * instrumentation with default options. The app finds the provider and exporter on globalThis.
 */
import { register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
const { KafkaJsInstrumentation } = await import('@opentelemetry/instrumentation-kafkajs');

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new KafkaJsInstrumentation()] });

globalThis.otelTest = { provider, exporter };
