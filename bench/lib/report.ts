/** Turns the runs into bench/results/latest.{json,md,svg}. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median, minMax } from './stats.js';
import type { ClientName, RunRecord } from './types.js';

const METRICS = ['msgsPerSec', 'mbPerSec', 'cpuSec', 'rssMb', 'p50Ms', 'p99Ms'] as const;
type Metric = (typeof METRICS)[number];

export interface ClientSummary {
  msgsPerSec?: number;
  mbPerSec?: number;
  cpuSec?: number;
  rssMb?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** min and max of every metric over the runs. */
  range?: Partial<Record<Metric, [number, number]>>;
  runs: RunRecord[];
  /** Why this client does not run this scenario. */
  unsupported?: string;
  errors?: string[];
  notes?: string[];
}

export interface Results {
  machine: Record<string, unknown>;
  node: string;
  kafka: string;
  kafkaTools?: string;
  clients: Record<string, string>;
  settings: Record<string, unknown>;
  startedAt: string;
  finishedAt?: string;
  scenarios: Record<string, Partial<Record<ClientName, ClientSummary>>>;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Recomputes a client's medians and ranges from its runs. */
export function summarize(entry: ClientSummary): void {
  if (entry.runs.length === 0) return;
  entry.range = {};
  for (const metric of METRICS) {
    const values = entry.runs
      .map((r) => r[metric])
      .filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    if (values.length === 0) continue;
    const digits = metric === 'msgsPerSec' ? 0 : 2;
    entry[metric] = round(median(values), digits);
    const [lo, hi] = minMax(values);
    entry.range[metric] = [round(lo, digits), round(hi, digits)];
  }
  const notes = [...new Set(entry.runs.map((r) => r.note).filter((n): n is string => !!n))];
  if (notes.length) entry.notes = notes;
}

function fmt(n: number | undefined, digits = 0): string {
  if (n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(e: ClientSummary, metric: Metric, digits: number): string {
  const v = e[metric];
  if (v === undefined) return '–';
  const r = e.range?.[metric];
  if (!r || e.runs.length < 2 || r[0] === r[1]) return fmt(v, digits);
  return `${fmt(v, digits)} (${fmt(r[0], digits)}–${fmt(r[1], digits)})`;
}

export function markdown(results: Results): string {
  const lines: string[] = [];
  const s = results.settings;
  lines.push(
    '# kafkats benchmark: latest run',
    '',
    `${results.startedAt} · Node ${results.node} · Kafka ${results.kafka} (1 local broker, 6 partitions) · ` +
      `scale ${String(s.scale)} · ${String(s.rounds)} round(s) · ${String((results.machine as { cpus?: number }).cpus)} CPUs ` +
      `(${String((results.machine as { cpuModel?: string }).cpuModel)}), load average ${String((results.machine as { loadAvg?: string }).loadAvg)} at start` +
      `${(results.machine as { loadAvgAtEnd?: string }).loadAvgAtEnd ? `, ${String(results.machine.loadAvgAtEnd)} at the end` : ''}`,
    '',
    'Medians over the rounds, (min–max) when there was more than one. msgs/s and MB/s are value bytes; CPU is the',
    "client process's user + system seconds (all threads); RSS is its peak. kafkats ÷ client is the ratio of msgs/s",
    '(for produce-latency: of p99 latency, client ÷ kafkats, so above 1 means kafkats is faster).',
    '',
  );
  for (const [scenario, byClient] of Object.entries(results.scenarios)) {
    lines.push(`## ${scenario}`, '');
    const latency = scenario === 'produce-latency';
    lines.push(
      latency
        ? '| client | msgs/s | p50 ms | p99 ms | CPU s | peak RSS MB | kafkats ÷ client |'
        : '| client | msgs/s | MB/s | CPU s | peak RSS MB | kafkats ÷ client |',
      latency
        ? '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
        : '| --- | ---: | ---: | ---: | ---: | ---: |',
    );
    const ours = byClient.kafkats;
    for (const [client, e] of Object.entries(byClient) as Array<[ClientName, ClientSummary]>) {
      if (e.unsupported) {
        lines.push(`| ${client} | n/a: ${e.unsupported} |${latency ? ' | | | | |' : ' | | | |'}`);
        continue;
      }
      if (e.runs.length === 0) {
        lines.push(
          `| ${client} | failed: ${(e.errors ?? ['no run']).at(-1)!.split('\n')[0]} |${latency ? ' | | | | |' : ' | | | |'}`,
        );
        continue;
      }
      let ratio = '';
      if (client !== 'kafkats' && ours?.msgsPerSec) {
        if (latency && ours.p99Ms && e.p99Ms) ratio = `${fmt(e.p99Ms / ours.p99Ms, 2)}×`;
        else if (!latency && e.msgsPerSec) ratio = `${fmt(ours.msgsPerSec / e.msgsPerSec, 2)}×`;
      }
      const note = e.notes?.length ? ` ¹` : '';
      lines.push(
        latency
          ? `| ${client}${note} | ${cell(e, 'msgsPerSec', 0)} | ${cell(e, 'p50Ms', 1)} | ${cell(e, 'p99Ms', 1)} | ${cell(e, 'cpuSec', 2)} | ${cell(e, 'rssMb', 0)} | ${ratio} |`
          : `| ${client}${note} | ${cell(e, 'msgsPerSec', 0)} | ${cell(e, 'mbPerSec', 1)} | ${cell(e, 'cpuSec', 2)} | ${cell(e, 'rssMb', 0)} | ${ratio} |`,
      );
    }
    const notes = Object.entries(byClient).flatMap(([c, e]) => (e?.notes ?? []).map((n) => `${c}: ${n}`));
    const errors = Object.entries(byClient).flatMap(([c, e]) =>
      e?.runs.length && e.errors?.length
        ? [`${c}: ${e.errors.length} failed run(s): ${e.errors[0]!.split('\n')[0]}`]
        : [],
    );
    if (notes.length || errors.length) {
      lines.push('');
      for (const n of notes) lines.push(`¹ ${n}`);
      for (const e of errors) lines.push(`⚠ ${e}`);
    }
    lines.push('');
  }
  lines.push('![msgs/s per scenario and client](latest.svg)', '');
  return lines.join('\n');
}

const COLORS: Record<string, string> = {
  kafkats: '#2563eb',
  kafkajs: '#9ca3af',
  platformatic: '#f59e0b',
  rdkafka: '#10b981',
  java: '#ef4444',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A hand-written SVG: one panel per throughput scenario, one horizontal bar per client, each
 * panel scaled to its own fastest client (the scenarios' rates differ by orders of magnitude).
 */
export function svgChart(results: Results): string {
  const width = 760;
  const labelW = 110;
  const barMax = 480;
  const rowH = 20;
  const parts: string[] = [];
  let y = 40;
  for (const [scenario, byClient] of Object.entries(results.scenarios)) {
    // The latency scenario runs at a fixed rate: its msgs/s says nothing (see the table's p99).
    if (scenario === 'produce-latency') continue;
    const rows = Object.entries(byClient) as Array<[string, ClientSummary]>;
    const max = Math.max(1, ...rows.map(([, e]) => e.msgsPerSec ?? 0));
    parts.push(`<text x="10" y="${y}" class="title">${esc(scenario)}</text>`);
    y += 8;
    for (const [client, e] of rows) {
      const v = e.msgsPerSec;
      const w = v ? Math.max(1, (v / max) * barMax) : 0;
      parts.push(
        `<text x="${labelW - 6}" y="${y + 14}" class="label" text-anchor="end">${esc(client)}</text>`,
      );
      if (v) {
        parts.push(
          `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${COLORS[client] ?? '#6b7280'}"/>`,
          `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 14}" class="value">${fmt(v)} msgs/s</text>`,
        );
      } else {
        const why = e.unsupported ? 'n/a' : 'failed';
        parts.push(`<text x="${labelW + 4}" y="${y + 14}" class="value muted">${why}</text>`);
      }
      y += rowH;
    }
    y += 22;
  }
  const height = y;
  const title = `kafkats benchmark · msgs/s (higher is better) · Node ${results.node} · Kafka ${results.kafka} · scale ${String(results.settings.scale)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">
<style>.title{font-size:14px;font-weight:600}.label{font-size:12px}.value{font-size:11px;fill:#374151}.muted{fill:#9ca3af}.head{font-size:13px}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="20" class="head">${esc(title)}</text>
${parts.join('\n')}
</svg>
`;
}

export async function writeResults(dir: string, results: Results): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'latest.md'), markdown(results));
  await writeFile(join(dir, 'latest.svg'), svgChart(results));
}
