/**
 * `npm run bench:render`: re-renders bench/results/latest.{md,svg} from latest.json, and the
 * tables between the `bench:results` markers in docs/benchmarks.md (chart linked from there).
 *
 *   npx tsx bench/render.ts [bench/results] [docs/benchmarks.md]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addRatios, markdown, type Results, summarize, writeResults } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? join(here, 'results'));
const doc = resolve(process.argv[3] ?? join(here, '..', 'docs', 'benchmarks.md'));
const START = '<!-- bench:results:start (npm run bench:render writes this part) -->';
const END = '<!-- bench:results:end -->';

const results = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Results;
// Figures are recomputed from the runs, so a metric added to the report reaches older result files too.
for (const set of [results.scenarios, results.ownDefaults ?? {}]) {
  for (const byClient of Object.values(set)) for (const e of Object.values(byClient)) if (e) summarize(e);
  addRatios(set);
}
await writeResults(dir, results);
const page = readFileSync(doc, 'utf8');
const a = page.indexOf(START);
const b = page.indexOf(END);
if (a < 0 || b < a) throw new Error(`${doc} has no ${START} … ${END} block`);
// Headings one level down: the page's own section is the ## above the block.
const body = markdown(results, relative(dirname(doc), join(dir, 'latest.svg'))).replace(
  /^(#{2,3}) /gm,
  '#$1 ',
);
writeFileSync(doc, `${page.slice(0, a + START.length)}\n\n${body}\n${page.slice(b)}`);
console.log(`rendered ${join(dir, 'latest.md')}, latest.svg and ${doc}`);
