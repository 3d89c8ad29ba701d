import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runCase } from '../../../scripts/fuzz/cases.js';
import { buildCorpus, type Corpus } from '../../../scripts/fuzz/corpus.js';
import { caseRandom, MUTATIONS, mutateOnce } from '../../../scripts/fuzz/mutate.js';

// What makes `npm run fuzz -- --seed S --from N --cases 1` a replay: a case depends on (seed, N) only.
describe('decoder fuzz cases (scripts/fuzz)', () => {
  let corpus: Corpus;
  before(async () => {
    corpus = await buildCorpus();
  });

  it('the corpus holds a response of every version of every API, record sets and compressed payloads', () => {
    const apis = new Set(corpus.response.map((e) => (e.kind === 'response' ? e.apiKey : -1)));
    assert.equal(apis.size, 79);
    assert.ok(corpus.response.some((e) => e.name === 'Fetch v17 full'));
    assert.ok(corpus.records.some((e) => e.name === 'legacy v0'));
    assert.equal(corpus.compressed.length, 8);
  });

  it('a case run alone gives what it gave in the middle of a run, and its neighbours differ', () => {
    const inRun = Array.from({ length: 50 }, (_, i) => runCase(corpus, 99, 1000 + i));
    const alone = runCase(corpus, 99, 1037);
    assert.deepEqual(alone, inRun[37]);
    const distinct = new Set(inRun.map((r) => `${r.input} ${r.steps.join('+')}`));
    assert.ok(distinct.size > 40, `${distinct.size} distinct cases of 50`);
    assert.notDeepEqual(
      Array.from({ length: 4 }, caseRandom(1, 5)),
      Array.from({ length: 4 }, caseRandom(2, 5)),
    );
  });

  it('every mutation changes its input in some tries, and leaves the original alone', () => {
    const input = Buffer.from('0123456789abcdef0123456789abcdef');
    const other = Buffer.from('zyxwvutsrqponmlk');
    for (const kind of MUTATIONS) {
      let changed = 0;
      for (let i = 0; i < 50; i++) {
        const out = mutateOnce(kind, input, caseRandom(7, i), other);
        if (!out.equals(input)) changed++;
      }
      assert.ok(changed > 0, `${kind} changed nothing in 50 tries`);
    }
    assert.equal(input.toString(), '0123456789abcdef0123456789abcdef', 'the input itself is left alone');
  });
});
