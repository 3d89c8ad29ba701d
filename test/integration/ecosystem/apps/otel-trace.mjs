/**
 * The ESM twin of otel-trace.cjs: run as `node --import ./otel-register.mjs otel-trace.mjs`, it
 * imports `kafkajs` with an ESM `import` (kafkats' ESM build when kafkats is installed under that
 * name), then runs the program of otel-scenario.cjs.
 */
import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';

const { provider, exporter } = globalThis.otelTest;
createRequire(import.meta.url)('./otel-scenario.cjs')({ Kafka, logLevel, provider, exporter });
