/**
 * Re-renders latest.md and latest.svg from latest.json (after a change to the report's format):
 *
 *   npx tsx bench/render.ts [bench/results]
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Results, writeResults } from './lib/report.js';

const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), 'results'));
const results = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Results;
await writeResults(dir, results);
console.log(`rendered ${join(dir, 'latest.md')} and latest.svg`);
