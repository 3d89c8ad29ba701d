import type { Reader } from './codec/reader.js';
import type { Writer } from './codec/writer.js';

/**
 * What the generator emits for each Kafka API: its key and version range, which header
 * versions go with each version, and straight-line encoders and decoders for the request and
 * the response bodies (headers excluded). Both directions exist for both bodies so that tests
 * (and tools such as proxies) can decode requests and encode responses too.
 */
export interface ApiMessage<Req, Res> {
  /** Kafka's numeric API key (0 Produce, 1 Fetch, 3 Metadata...). */
  readonly apiKey: number;
  /** The API's name as in Kafka's specs, e.g. `Produce`. */
  readonly name: string;
  /** Lowest version the spec keeps. */
  readonly minVersion: number;
  /** Highest released version (a `latestVersionUnstable` version is excluded). */
  readonly maxVersion: number;
  /** First flexible version, or -1 when the API has none. */
  readonly flexibleVersion: number;
  /** Request header version that goes with this API version (usually 1, or 2 once flexible). */
  requestHeaderVersion(version: number): number;
  /** Response header version that goes with this API version (0, or 1 once flexible; ApiVersions always 0). */
  responseHeaderVersion(version: number): number;
  /** Writes the request body (no header) at `version`. */
  encodeRequest(w: Writer, version: number, body: Req): void;
  /** Reads a request body (no header) at `version`. */
  decodeRequest(r: Reader, version: number): Req;
  /** Writes the response body (no header) at `version`. */
  encodeResponse(w: Writer, version: number, body: Res): void;
  /** Reads a response body (no header) at `version`. */
  decodeResponse(r: Reader, version: number): Res;
}

/** One row of {@link API_KEYS}. */
export interface ApiKeyInfo {
  /** Kafka's numeric API key. */
  apiKey: number;
  /** The API's name as in Kafka's specs. */
  name: string;
  /** Lowest version the spec keeps. */
  minVersion: number;
  /** Highest released version. */
  maxVersion: number;
  /** First flexible version, or -1 when the API has none. */
  flexibleVersion: number;
}
