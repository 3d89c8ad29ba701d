import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * `node:diagnostics_channel` publication of every request, for APM tools (OpenTelemetry and the
 * like) that subscribe without being configured through kafkats:
 *
 * - `kafkats:request` is a TracingChannel: `start`, `end`, `asyncStart`, `asyncEnd`, `error`
 *   with a context object `{ broker, clientId, apiName, apiKey, apiVersion, correlationId }`
 *   (plus `result` or `error` when it settles).
 * - `kafkats:connection:connect` / `kafkats:connection:close` are plain channels.
 */
export interface RequestTraceContext {
  broker: string;
  clientId: string;
  apiName: string;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  result?: unknown;
  error?: unknown;
}

export const requestChannel = diagnosticsChannel.tracingChannel<RequestTraceContext>('kafkats:request');
export const connectChannel = diagnosticsChannel.channel('kafkats:connection:connect');
export const closeChannel = diagnosticsChannel.channel('kafkats:connection:close');

/** True when something subscribed to the request tracing channel (checked before building a context). */
export function requestTracingEnabled(): boolean {
  return requestChannel.hasSubscribers;
}
