/**
 * Checks the links of the generated API site (`npm run docs` first, then `npm run check:docs-links`):
 * every relative `href`/`src` of every page in docs/api must name a file that exists, and an
 * anchor (`page.html#x`) must name an id on that page. External links (http, mailto) are counted
 * and skipped: CI must not depend on other sites. A guide in docs/ that links to another guide or
 * into the API is rendered as a page of the site, so a broken link here is a broken link a reader
 * clicks on.
 *
 * Also fails when a guide is still linked as a raw `.md` file (a link TypeDoc did not resolve to
 * the rendered page), or when a guide of docs/*.md has no page on the site. Other Markdown files
 * a guide links (benchmark results) are copied into the site as they are, which is fine.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const site = join(root, 'docs', 'api');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

const idsCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idsCache.get(file);
  if (!ids) {
    ids = new Set([...readFileSync(file, 'utf8').matchAll(/\b(?:id|name)="([^"]+)"/g)].map((m) => m[1]!));
    idsCache.set(file, ids);
  }
  return ids;
}

if (!existsSync(join(site, 'index.html'))) {
  console.error('check-docs-links: docs/api/index.html is missing; run `npm run docs` first');
  process.exit(1);
}

const pages = htmlFiles(site);
const guides = readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md'));
const broken: string[] = [];
let checked = 0;
let external = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  for (const m of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
    const link = m[1]!.replaceAll('&amp;', '&');
    if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) {
      external++;
      continue;
    }
    checked++;
    const [path, anchor] = link.split('#', 2) as [string, string | undefined];
    const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path.split('?')[0]!));
    const where = relative(site, page);
    if (/\.md$/i.test(path) && guides.includes(basename(path))) {
      broken.push(`${where}: ${link} links the raw Markdown of a guide, not its page`);
    } else if (!existsSync(target)) {
      broken.push(`${where}: ${link} (no such file)`);
    } else if (anchor && target.endsWith('.html') && !idsOf(target).has(decodeURIComponent(anchor))) {
      broken.push(`${where}: ${link} (no #${anchor} on that page)`);
    }
  }
}

// Every guide is a page of the site.
const documentPages = existsSync(join(site, 'documents')) ? readdirSync(join(site, 'documents')) : [];
const missing = guides.filter(
  (g) => !documentPages.some((p) => p.toLowerCase() === g.replace(/\.md$/, '.html').toLowerCase()),
);
for (const g of missing) broken.push(`docs/${g}: no page on the site (typedoc.json projectDocuments)`);

for (const b of broken) console.error(`  broken  ${b}`);
console.log(
  `check-docs-links: ${pages.length} pages, ${checked} relative links checked, ${external} external skipped, ` +
    `${guides.length - missing.length}/${guides.length} guides rendered, ${broken.length} broken`,
);
process.exit(broken.length > 0 ? 1 : 0);
