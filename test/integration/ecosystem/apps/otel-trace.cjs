'use strict';
/**
 * A traced service as OpenTelemetry's documentation sets one up: the Node SDK's tracer provider
 * with an in-memory exporter, the KafkaJS instrumentation registered with default options before
 * `require('kafkajs')`, then the program of otel-scenario.cjs.
 */
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new KafkaJsInstrumentation()] });

const { Kafka, logLevel } = require('kafkajs');

require('./otel-scenario.cjs')({ Kafka, logLevel, provider, exporter });
