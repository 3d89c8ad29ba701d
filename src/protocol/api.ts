import type { Reader } from './codec/reader.js';
import type { Writer } from './codec/writer.js';

/**
 * What the generator emits for each Kafka API: its key and version range, which header
 * versions go with each version, and straight-line encoders and decoders for the request and
 * the response bodies (headers excluded). Both directions exist for both bodies so that tests
 * (and tools such as proxies) can decode requests and encode responses too.
 */
export interface ApiMessage<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  /** Lowest version the spec keeps. */
  readonly minVersion: number;
  /** Highest released version (a `latestVersionUnstable` version is excluded). */
  readonly maxVersion: number;
  /** First flexible version, or -1 when the API has none. */
  readonly flexibleVersion: number;
  requestHeaderVersion(version: number): number;
  responseHeaderVersion(version: number): number;
  encodeRequest(w: Writer, version: number, body: Req): void;
  decodeRequest(r: Reader, version: number): Req;
  encodeResponse(w: Writer, version: number, body: Res): void;
  decodeResponse(r: Reader, version: number): Res;
}

/** One row of {@link API_KEYS}. */
export interface ApiKeyInfo {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  /** First flexible version, or -1 when the API has none. */
  flexibleVersion: number;
}
