/**
 * One POST to an OAuth token endpoint over node:http(s), which Node, Bun and Deno all implement
 * (global fetch cannot take a CA or client certificate in Node). Failures become
 * {@link KafkaJSOAuthBearerTokenError}s that name the endpoint without its credentials.
 */
import http from 'node:http';
import https from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { KafkaJSOAuthBearerTokenError } from './token-errors.js';

/** The endpoint as errors show it: no user info, no query (either may carry a credential). */
export function describeEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** Certificate verification failures: configuration, not an outage, so not worth retrying. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isCertificateError(error: NodeJS.ErrnoException): boolean {
  return error.code !== undefined && CERTIFICATE_CODES.has(error.code);
}

export interface TokenHttpRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  tls?: ConnectionOptions;
  /** The largest answer read, in bytes. */
  maxBytes?: number;
}

export interface TokenHttpResponse {
  status: number;
  contentType: string;
  body: string;
}

export function postForm(request: TokenHttpRequest): Promise<TokenHttpResponse> {
  const where = describeEndpoint(request.url);
  const maxBytes = request.maxBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: KafkaJSOAuthBearerTokenError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const transport = request.url.protocol === 'https:' ? https : http;
    const req = transport.request(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      ...(request.url.protocol === 'https:' ? request.tls : {}),
    });
    // One deadline for connect, send and the whole answer: a trickling endpoint is as bad as a silent one.
    const timer = setTimeout(
      () =>
        fail(
          new KafkaJSOAuthBearerTokenError(
            `Token endpoint ${where} did not answer within ${request.timeoutMs} ms`,
            {
              code: 'ENDPOINT_TIMEOUT',
            },
          ),
        ),
      request.timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        isCertificateError(error)
          ? new KafkaJSOAuthBearerTokenError(
              `Token endpoint ${where} has an untrusted certificate: ${error.code}`,
              {
                code: 'ENDPOINT_TLS',
                cause: error,
              },
            )
          : new KafkaJSOAuthBearerTokenError(
              `Token endpoint ${where} unreachable: ${error.code ?? error.message}`,
              {
                code: 'ENDPOINT_UNREACHABLE',
                cause: error,
              },
            ),
      ),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(
            new KafkaJSOAuthBearerTokenError(`Token endpoint ${where} answered more than ${maxBytes} bytes`, {
              code: 'INVALID_RESPONSE',
              status: res.statusCode,
            }),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) =>
        fail(
          new KafkaJSOAuthBearerTokenError(`Token endpoint ${where} broke off its answer`, {
            code: 'ENDPOINT_UNREACHABLE',
            cause: error,
          }),
        ),
      );
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    req.end(request.body);
  });
}
