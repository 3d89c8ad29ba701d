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

/**
 * A TracingChannel whose `hasSubscribers` works on every runtime. Bun's TracingChannel has no
 * such getter (Node has it from 20.13), so every `if (channel.hasSubscribers)` read undefined
 * and nothing was ever traced there; the getter is added from the five event channels.
 */
export function tracingChannel<T extends object>(
  name: string,
): diagnosticsChannel.TracingChannel<unknown, T> {
  const channel = diagnosticsChannel.tracingChannel<unknown, T>(name);
  if (typeof (channel as { hasSubscribers?: unknown }).hasSubscribers !== 'boolean') {
    Object.defineProperty(channel, 'hasSubscribers', {
      get: () =>
        channel.start.hasSubscribers ||
        channel.end.hasSubscribers ||
        channel.asyncStart.hasSubscribers ||
        channel.asyncEnd.hasSubscribers ||
        channel.error.hasSubscribers,
    });
  }
  return channel;
}

export const requestChannel = tracingChannel<RequestTraceContext>('kafkats:request');
export const connectChannel = diagnosticsChannel.channel('kafkats:connection:connect');
export const closeChannel = diagnosticsChannel.channel('kafkats:connection:close');

/** True when something subscribed to the request tracing channel (checked before building a context). */
export function requestTracingEnabled(): boolean {
  return requestChannel.hasSubscribers;
}
