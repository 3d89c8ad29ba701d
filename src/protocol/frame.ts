import { KafkaProtocolError } from '../errors/base.js';
import type { ApiMessage } from './api.js';
import { Reader } from './codec/reader.js';
import { Writer } from './codec/writer.js';
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
} from './messages/headers.js';
import { apiByKey } from './messages/index.js';

/**
 * A whole request as it goes on the wire: int32 size, request header (v1 or v2, as the API's
 * version says), body. The returned buffer is a view over a buffer of its own.
 */
export function encodeRequestFrame<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  correlationId: number,
  clientId: string | null,
  body: Req,
  sizeHint = 256,
): Buffer {
  const w = new Writer(sizeHint);
  const at = w.reserveInt32();
  encodeRequestHeader(w, api.requestHeaderVersion(version), {
    requestApiKey: api.apiKey,
    requestApiVersion: version,
    correlationId,
    clientId,
  });
  api.encodeRequest(w, version, body);
  w.patchInt32(at, w.pos - 4);
  return w.finish();
}

/** Decodes a response frame given without its int32 size prefix. */
export function decodeResponseFrame<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  frame: Buffer,
): {
  /** The correlation id from the response header. */
  correlationId: number;
  /** The decoded response body. */
  body: Res;
} {
  const r = new Reader(frame);
  const { correlationId } = decodeResponseHeader(r, api.responseHeaderVersion(version));
  const body = api.decodeResponse(r, version);
  return { correlationId, body };
}

/** Reads only the correlation id of a response frame (without size prefix), to route it before decoding. */
export function peekCorrelationId(frame: Buffer): number {
  if (frame.length < 4)
    throw new KafkaProtocolError(`response frame of ${frame.length} bytes has no correlation id`);
  return frame.readInt32BE(0);
}

/** A whole response as a broker sends it (size prefix, header, body): for tests and mock brokers. */
export function encodeResponseFrame<Req, Res>(
  api: ApiMessage<Req, Res>,
  version: number,
  correlationId: number,
  body: Res,
): Buffer {
  const w = new Writer(256);
  const at = w.reserveInt32();
  encodeResponseHeader(w, api.responseHeaderVersion(version), { correlationId });
  api.encodeResponse(w, version, body);
  w.patchInt32(at, w.pos - 4);
  return w.finish();
}

/** Decodes a request frame (without size prefix) as a broker would: for tests and mock brokers. */
export function decodeRequestFrame(frame: Buffer): {
  /** The API of the request, found by its key. */
  api: ApiMessage<unknown, unknown>;
  /** The request's API version. */
  version: number;
  /** The correlation id the response must echo. */
  correlationId: number;
  /** The client id from the request header, or null. */
  clientId: string | null;
  /** The decoded request body. */
  body: unknown;
} {
  if (frame.length < 4) throw new KafkaProtocolError(`request frame of ${frame.length} bytes is too short`);
  const key = frame.readInt16BE(0);
  const version = frame.readInt16BE(2);
  const api = apiByKey(key);
  if (!api) throw new KafkaProtocolError(`unknown api key ${key}`, 0);
  const r = new Reader(frame);
  const header = decodeRequestHeader(r, api.requestHeaderVersion(version));
  const body = api.decodeRequest(r, version);
  return { api, version, correlationId: header.correlationId, clientId: header.clientId ?? null, body };
}
