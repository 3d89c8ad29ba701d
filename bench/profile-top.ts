/**
 * The top self-time functions of V8 CPU profiles (as written by `npm run bench -- --profile`,
 * which runs the kafkats children with --cpu-prof):
 *
 *   npx tsx bench/profile-top.ts bench/results/CPU.*.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function where(url: string, line: number): string {
  if (!url) return '';
  let path = url;
  try {
    if (url.startsWith('file:')) path = relative(process.cwd(), fileURLToPath(url));
  } catch {
    // keep the URL
  }
  return `${path}:${line + 1}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const files = args.filter((a, i) => a.endsWith('.cpuprofile') && (topAt < 0 || i !== topAt + 1));
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    // Self time per node: the time deltas of the samples that landed on it.
    const selfUs = new Map<number, number>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
    }
    const byFunction = new Map<string, number>();
    let total = 0;
    for (const [id, us] of selfUs) {
      const n = byId.get(id);
      if (!n) continue;
      total += us;
      const key =
        `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url, n.callFrame.lineNumber)}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    }
    const idle = [...byFunction].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
    console.log(
      `\n${file}: ${(total / 1e6).toFixed(2)} s sampled, ${(idle / 1e6).toFixed(2)} s idle, ` +
        `${((total - idle) / 1e6).toFixed(2)} s busy`,
    );
    const rows = [...byFunction].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
    for (const [key, us] of rows.slice(0, top)) {
      const pct = total - idle > 0 ? (us / (total - idle)) * 100 : 0;
      console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${pct.toFixed(1).padStart(5)}%  ${key}`);
    }
  }
}

main();
