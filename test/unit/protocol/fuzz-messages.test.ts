import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateFrom, loadSource } from '../../../scripts/generate/generate.js';
import { DEFAULT_SPECS } from '../../../scripts/generate/paths.js';
import { prng, SampleBuilder } from '../../../scripts/generate/samples.js';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import { apiByKey, decodeResponseHeader, Reader, Writer } from '../../../src/protocol/index.js';

const CASES = 3000;

test(`${CASES} truncated or bit-flipped responses decode or throw KafkaProtocolError`, () => {
  const { model } = generateFrom(loadSource({}, DEFAULT_SPECS));
  const rand = prng(0x6b61666b);
  const pick = (n: number) => Math.floor(rand() * n);
  const started = Date.now();
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < CASES; i++) {
    const apiModel = model.apis[pick(model.apis.length)]!;
    const api = apiByKey(apiModel.apiKey)!;
    const v = api.minVersion + pick(api.maxVersion - api.minVersion + 1);
    const w = new Writer();
    api.encodeResponse(
      w,
      v,
      new SampleBuilder(i % 3 === 0 ? 'nulls' : 'full').struct(apiModel.response.root, v),
    );
    const bytes = Buffer.from(w.finish());
    let input: Buffer;
    const mode = pick(3);
    if (mode === 0) input = bytes.subarray(0, pick(bytes.length));
    else {
      input = Buffer.from(bytes);
      const flips = 1 + pick(mode === 1 ? 2 : 8);
      for (let f = 0; f < flips && input.length > 0; f++) input[pick(input.length)]! ^= 1 << pick(8);
      if (mode === 2 && rand() < 0.5) input[pick(input.length)] = 0xff;
    }
    try {
      const r = new Reader(input);
      if (rand() < 0.2) decodeResponseHeader(r, api.responseHeaderVersion(v));
      api.decodeResponse(r, v);
      decoded++;
    } catch (err) {
      if (!(err instanceof KafkaProtocolError)) {
        assert.fail(
          `${api.name} v${v} (case ${i}, mode ${mode}) threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`,
        );
      }
      rejected++;
    }
  }
  assert.ok(rejected > 0 && decoded + rejected === CASES);
  assert.ok(Date.now() - started < 10_000, 'fuzzing took too long');
});
