import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateFrom, loadSource } from '../../../scripts/generate/generate.js';
import { DEFAULT_SPECS } from '../../../scripts/generate/paths.js';
import { SampleBuilder, type Variant } from '../../../scripts/generate/samples.js';
import { ALL_APIS, apiByKey, Reader, Writer } from '../../../src/protocol/index.js';

const { model } = generateFrom(loadSource({}, DEFAULT_SPECS));

function roundTrip(
  encode: (w: Writer, v: number, body: unknown) => void,
  decode: (r: Reader, v: number) => unknown,
  v: number,
  sample: unknown,
  what: string,
): void {
  const w = new Writer(64);
  encode(w, v, sample);
  const bytes = Buffer.from(w.finish());
  const r = new Reader(bytes);
  const decoded = decode(r, v);
  assert.equal(r.remaining, 0, `${what}: ${r.remaining} bytes left after decoding`);
  assert.deepStrictEqual(decoded, sample, `${what}: decoded value differs`);
  const w2 = new Writer(16);
  encode(w2, v, decoded);
  assert.ok(bytes.equals(w2.finish()), `${what}: re-encoding gave different bytes`);
}

test('every API, every version, request and response round-trip', () => {
  assert.equal(ALL_APIS.length, model.apis.length);
  let cases = 0;
  for (const apiModel of model.apis) {
    const api = apiByKey(apiModel.apiKey);
    assert.ok(api, `api ${apiModel.name} is exported`);
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      for (const variant of ['full', 'nulls'] as Variant[]) {
        const req = new SampleBuilder(variant).struct(apiModel.request.root, v);
        roundTrip(
          (w, ver, b) => api.encodeRequest(w, ver, b),
          (r, ver) => api.decodeRequest(r, ver),
          v,
          req,
          `${api.name}Request v${v} (${variant})`,
        );
        const res = new SampleBuilder(variant).struct(apiModel.response.root, v);
        roundTrip(
          (w, ver, b) => api.encodeResponse(w, ver, b),
          (r, ver) => api.decodeResponse(r, ver),
          v,
          res,
          `${api.name}Response v${v} (${variant})`,
        );
        cases += 2;
      }
    }
  }
  assert.ok(cases > 1000, `only ${cases} cases`);
});

test('versions outside the range are refused', () => {
  for (const api of ALL_APIS) {
    assert.throws(() => api.encodeRequest(new Writer(), api.maxVersion + 1, {}), /not supported/);
    if (api.minVersion > 0)
      assert.throws(() => api.decodeResponse(new Reader(Buffer.alloc(0)), api.minVersion - 1));
  }
});
