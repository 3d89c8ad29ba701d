/**
 * Turns the runs into bench/results/latest.{json,md,svg}.
 *
 * Contract (checks read latest.json): `scenarios[<name>][<client>]` has `msgsPerSec`,
 * `cpuUsPerMsg`, `rssMb`, `verified`, `settings`; e2e scenarios add `p99Ms`. Figures are medians
 * over the runs that passed their gate only; a client with no verified run has `verified: false`
 * and no figures.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SATURATION_MS } from './e2e.js';
import { median, minMax, pairedRatio } from './stats.js';
import type { ClientName, ClientSettings, RunRecord } from './types.js';

const METRICS = [
  'msgsPerSec',
  'msgsPerSecFromConnect',
  'mbPerSec',
  'cpuUsPerMsg',
  'rssMb',
  'p50Ms',
  'p99Ms',
  'p999Ms',
  'maxMs',
] as const;
type Metric = (typeof METRICS)[number];
/** Not taken from a saturated e2e run: its percentiles measure a queue, its CPU per record counts sends never delivered. */
const NOT_WHEN_SATURATED = new Set<Metric>(['p50Ms', 'p99Ms', 'p999Ms', 'maxMs', 'cpuUsPerMsg']);

export interface Ratio {
  median: number;
  min: number;
  max: number;
  pairs: number;
}

export interface ClientSummary {
  msgsPerSec?: number;
  /**
   * Consume scenarios: records ÷ (connect → last record), start-up included. The first-record clock of
   * `msgsPerSec` favours a client that reads ahead before it hands out its first record; this one does not.
   */
  msgsPerSecFromConnect?: number;
  mbPerSec?: number;
  cpuUsPerMsg?: number;
  rssMb?: number;
  p50Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  /**
   * e2e: runs stopped because the client fell SATURATION_MS behind the schedule (lib/e2e.ts), and the
   * median rate they delivered until then. Percentiles and CPU per record come from the other runs
   * only; none when all saturated.
   */
  saturated?: { runs: number; deliveredMsgsPerSec: number };
  /** True only when the client ran and every one of its runs passed the gate. */
  verified?: boolean;
  settings?: ClientSettings;
  /** Paired per round: kafkats ÷ this client for msgs/s (for e2e: this client's p99 ÷ kafkats's). Above 1: kafkats better. */
  vsKafkats?: Ratio;
  /** Paired per round: this client's CPU µs/msg ÷ kafkats's. Above 1: kafkats uses less CPU. */
  cpuVsKafkats?: Ratio;
  /** min and max of every metric over the verified runs. */
  range?: Partial<Record<Metric, [number, number]>>;
  runs: RunRecord[];
  /** Why this client does not run this scenario. */
  unsupported?: string;
  errors?: string[];
  notes?: string[];
}

export type ScenarioResults = Record<string, Partial<Record<ClientName, ClientSummary>>>;

export interface Results {
  machine: Record<string, unknown>;
  node: string;
  jvm?: string;
  kafka: string;
  clients: Record<string, string>;
  settings: Record<string, unknown>;
  startedAt: string;
  /**
   * Each --resume that continued this run (bench/run.ts keeps the scenarios already finished): when,
   * what it measured, and why, if the runners had changed (--runners-changed).
   */
  resumes?: Array<{ at: string; source: NonNullable<Results['source']>; runnersChanged?: string }>;
  /** The commit each scenario (`profile:name`) was measured at. */
  ranWith?: Record<string, string>;
  /**
   * The commit measured, src/'s tree hash, a hash of the runners (bench/child.ts, clients/, java/,
   * lib/ but its report), and whether either had uncommitted changes.
   */
  source?: { commit: string; srcTree: string; runners: string; dirty: boolean };
  finishedAt?: string;
  /** Load average (1, 5, 15 min) before and after each scenario, keyed `profile:scenario`. */
  load?: Record<string, { before: string; after: string }>;
  /** Every client at equal settings (see lib/settings.ts). */
  scenarios: ScenarioResults;
  /** Every client at its own defaults. */
  ownDefaults?: ScenarioResults;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Recomputes a client's medians and ranges from its verified runs. */
export function summarize(entry: ClientSummary): void {
  for (const r of entry.runs) {
    if (typeof r.startupMs === 'number' && r.seconds > 0) {
      r.msgsPerSecFromConnect = r.count / (r.startupMs / 1000 + r.seconds);
    }
  }
  const ok = entry.runs.filter((r) => r.verified);
  entry.verified = entry.runs.length > 0 && ok.length === entry.runs.length && !entry.errors?.length;
  for (const metric of METRICS) delete entry[metric];
  entry.range = {};
  // A saturated e2e run has no percentiles (lib/e2e.ts); its rate is what the client delivered.
  const sat = ok.filter((r) => r.saturated);
  if (sat.length) {
    entry.saturated = {
      runs: sat.length,
      deliveredMsgsPerSec: Math.round(median(sat.map((r) => r.msgsPerSec))),
    };
  } else delete entry.saturated;
  for (const metric of METRICS) {
    const values = (NOT_WHEN_SATURATED.has(metric) ? ok.filter((r) => !r.saturated) : ok)
      .map((r) => r[metric])
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length === 0) continue;
    const digits = metric.startsWith('msgsPerSec') ? 0 : 2;
    entry[metric] = round(median(values), digits);
    const [lo, hi] = minMax(values);
    entry.range[metric] = [round(lo, digits), round(hi, digits)];
  }
  const notes = [...new Set(entry.runs.map((r) => r.note).filter((n): n is string => !!n))];
  if (notes.length) entry.notes = notes;
}

function byRound(runs: RunRecord[], metric: Metric): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of runs) {
    const v = r[metric];
    if (
      r.verified &&
      !(r.saturated && NOT_WHEN_SATURATED.has(metric)) &&
      typeof v === 'number' &&
      Number.isFinite(v)
    )
      m.set(r.round, v);
  }
  return m;
}

function rounded(r: Ratio | undefined): Ratio | undefined {
  return r && { median: round(r.median, 2), min: round(r.min, 2), max: round(r.max, 2), pairs: r.pairs };
}

/** Paired ratios of every peer against kafkats, per scenario. */
export function addRatios(scenarios: ScenarioResults): void {
  for (const [name, byClient] of Object.entries(scenarios)) {
    const ours = byClient.kafkats;
    if (!ours) continue;
    const latency = name.startsWith('e2e-');
    for (const [client, e] of Object.entries(byClient) as Array<[ClientName, ClientSummary]>) {
      if (client === 'kafkats') continue;
      delete e.vsKafkats;
      delete e.cpuVsKafkats;
      const r = latency
        ? pairedRatio(byRound(e.runs, 'p99Ms'), byRound(ours.runs, 'p99Ms'))
        : pairedRatio(byRound(ours.runs, 'msgsPerSec'), byRound(e.runs, 'msgsPerSec'));
      const c = pairedRatio(byRound(e.runs, 'cpuUsPerMsg'), byRound(ours.runs, 'cpuUsPerMsg'));
      if (r) e.vsKafkats = rounded(r);
      if (c) e.cpuVsKafkats = rounded(c);
    }
  }
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

function ratioCell(r: Ratio | undefined): string {
  if (!r) return '';
  return r.pairs > 1 ? `${fmt(r.median, 2)}× (${fmt(r.min, 2)}–${fmt(r.max, 2)})` : `${fmt(r.median, 2)}×`;
}

function settingsLine(s: ClientSettings | undefined): string {
  if (!s) return '';
  const v = (x: unknown) => (typeof x === 'number' ? x.toLocaleString('en-US') : String(x));
  return `batch ${v(s.batchSize)}, linger ${v(s.lingerMs)}, acks ${s.acks}, idempotence ${v(s.idempotence)}, CRC check ${v(s.crc)}, ${s.runtime}`;
}

function table(lines: string[], scenarios: ScenarioResults): void {
  for (const [scenario, byClient] of Object.entries(scenarios)) {
    lines.push(`### ${scenario}`, '');
    const latency = scenario.startsWith('e2e-');
    const fromConnect =
      !latency && Object.values(byClient).some((e) => e?.runs.some((r) => typeof r.startupMs === 'number'));
    lines.push(
      latency
        ? '| client | verified | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/msg | peak RSS MB | client p99 ÷ kafkats p99 |'
        : `| client | verified | msgs/s |${fromConnect ? ' msgs/s from connect ² |' : ''} MB/s | CPU µs/msg | peak RSS MB | kafkats ÷ client (paired) | client CPU ÷ kafkats CPU |`,
      latency
        ? '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
        : `| --- | --- | ---: |${fromConnect ? ' ---: |' : ''} ---: | ---: | ---: | ---: | ---: |`,
    );
    const pad = latency ? ' | | | | | | |' : fromConnect ? ' | | | | | | |' : ' | | | | | |';
    for (const [client, e] of Object.entries(byClient) as Array<[ClientName, ClientSummary]>) {
      if (e.unsupported) {
        lines.push(`| ${client} | n/a: ${e.unsupported} |${pad}`);
        continue;
      }
      const ok = e.runs.filter((r) => r.verified).length;
      const verdict = e.verified
        ? `yes (${ok}/${e.runs.length})`
        : `**no** (${ok}/${e.runs.length + (e.errors?.length ?? 0)})`;
      if (ok === 0) {
        const why = e.runs.find((r) => !r.verified)?.gate ?? (e.errors ?? ['no run']).at(-1)!.split('\n')[0];
        lines.push(`| ${client} | **failed**: ${why} |${pad}`);
        continue;
      }
      const note = e.notes?.length ? ' ¹' : '';
      if (latency && e.saturated && e.p99Ms === undefined) {
        lines.push(
          `| ${client}${note} | ${verdict} | saturated ³: ${fmt(e.saturated.deliveredMsgsPerSec)} msgs/s delivered | – | – | – | – | ${cell(e, 'rssMb', 0)} | |`,
        );
        continue;
      }
      lines.push(
        latency
          ? `| ${client}${note}${e.saturated ? ' ³' : ''} | ${verdict} | ${cell(e, 'p50Ms', 1)} | ${cell(e, 'p99Ms', 1)} | ${cell(e, 'p999Ms', 1)} | ${cell(e, 'maxMs', 1)} | ${cell(e, 'cpuUsPerMsg', 2)} | ${cell(e, 'rssMb', 0)} | ${ratioCell(e.vsKafkats)} |`
          : `| ${client}${note} | ${verdict} | ${cell(e, 'msgsPerSec', 0)} |${fromConnect ? ` ${cell(e, 'msgsPerSecFromConnect', 0)} |` : ''} ${cell(e, 'mbPerSec', 1)} | ${cell(e, 'cpuUsPerMsg', 2)} | ${cell(e, 'rssMb', 0)} | ${ratioCell(e.vsKafkats)} | ${ratioCell(e.cpuVsKafkats)} |`,
      );
    }
    const notes = Object.entries(byClient).flatMap(([c, e]) => (e?.notes ?? []).map((n) => `${c}: ${n}`));
    const errors = Object.entries(byClient).flatMap(([c, e]) => {
      const failedGates = (e?.runs ?? [])
        .filter((r) => !r.verified)
        .map((r) => `round ${r.round}: ${r.gate}`);
      const errs = (e?.errors ?? []).map((x) => x.split('\n')[0]!);
      return failedGates.length || errs.length
        ? [`${c}: ${[...failedGates, ...errs].slice(0, 3).join('; ')}`]
        : [];
    });
    if (fromConnect) {
      lines.push(
        '',
        '² records ÷ (connect → last record), start-up and group join included: the first-record clock of msgs/s',
        'favours a client that reads ahead before it hands out its first record.',
      );
    }
    if (latency && Object.values(byClient).some((e) => e?.saturated)) {
      lines.push(
        '',
        `³ saturated: the client fell more than ${String(SATURATION_MS / 1000)} s behind the schedule (records due, warm-up included,`,
        'that had not arrived, or one record that late), so it cannot sustain this rate and its latency only grows with the run. The run stops',
        'there and gives the rate delivered until then, not percentiles or CPU per record (where shown, those come from',
        'its other runs).',
      );
    }
    if (notes.length || errors.length) {
      lines.push('');
      for (const n of notes) lines.push(`¹ ${n.slice(0, 300)}`);
      for (const e of errors) lines.push(`⚠ ${e.slice(0, 300)}`);
    }
    lines.push('');
  }
}

/** Which commit was measured, and each --resume that continued the run (with why the runners changed). */
function provenance(results: Results): string[] {
  const first = results.source;
  if (!first) return [];
  const short = (c: string) => c.slice(0, 7);
  const lines = [
    `Measured: commit ${short(first.commit)} (src/ tree ${short(first.srcTree)}${first.dirty ? ', **uncommitted changes**' : ''}).`,
  ];
  for (const r of results.resumes ?? []) {
    const ran = Object.entries(results.ranWith ?? {})
      .filter(([, c]) => c === r.source.commit && c !== first.commit)
      .map(([k]) => k);
    lines.push(
      `Resumed ${r.at} at commit ${short(r.source.commit)} (same src/ tree)${ran.length ? `, which ran ${ran.join(', ')}` : ''}` +
        `${r.runnersChanged ? `; the runners had changed: ${r.runnersChanged}` : ''}.`,
    );
  }
  return [...lines, ''];
}

export function markdown(results: Results, svgPath = 'latest.svg'): string {
  const lines: string[] = [];
  const s = results.settings;
  const m = results.machine as { cpus?: number; cpuModel?: string; loadAvg?: string; loadAvgAtEnd?: string };
  lines.push(
    `${results.startedAt} · clients on Node ${results.node} and ${results.jvm ?? 'Java'} · Kafka ${results.kafka} · ` +
      `scale ${String(s.scale)}${s.quick ? ' (**--quick: development run, not figures to quote**)' : ''} · ${String(s.rounds)} round(s), client order rotated each round · ` +
      `${String(m.cpus)} CPUs (${String(m.cpuModel)}), brokers on the same machine · load average ${String(m.loadAvg)} at start` +
      `${m.loadAvgAtEnd ? `, ${m.loadAvgAtEnd} at the end` : ''}`,
    '',
    ...provenance(results),
    'Medians over the verified runs, (min–max) when there was more than one. A run counts only when its gate',
    'passed: after produce, end offsets sum to the records sent and a read-back finds no duplicate; a consumer',
    "saw every (partition, offset) (duplicates are counted apart). CPU µs/msg is the client process's user +",
    'system time (all threads) over the whole run (connect to disconnect, start-up included, for every client),',
    'divided by the records; module and data loading are excluded for every client. Peak RSS excludes the',
    'data set the process holds. Ratios are paired: the',
    'median (min–max) of per-round ratios, so a slow round slows both sides of its pair.',
    '',
    '**Settings at equal settings (`fair`)**:',
    '',
  );
  const firstScenario = Object.values(results.scenarios)[0] ?? {};
  for (const [client, e] of Object.entries(firstScenario) as Array<[ClientName, ClientSummary]>) {
    if (e.settings)
      lines.push(
        `- ${client}: ${settingsLine(e.settings)}${e.settings.notes?.length ? ` — ${e.settings.notes.join('; ')}` : ''}`,
      );
  }
  lines.push('', '## Equal settings', '');
  table(lines, results.scenarios);
  if (results.ownDefaults && Object.keys(results.ownDefaults).length) {
    lines.push('## Each client at its own defaults', '');
    const first = Object.values(results.ownDefaults)[0] ?? {};
    for (const [client, e] of Object.entries(first) as Array<[ClientName, ClientSummary]>) {
      if (e.settings) lines.push(`- ${client}: ${settingsLine(e.settings)}`);
    }
    lines.push('');
    table(lines, results.ownDefaults);
  }
  if (results.load) {
    lines.push(
      '## Load average (1 / 5 / 15 min) around each scenario',
      '',
      '| scenario | before | after |',
      '| --- | --- | --- |',
    );
    for (const [k, v] of Object.entries(results.load)) lines.push(`| ${k} | ${v.before} | ${v.after} |`);
    lines.push('');
  }
  lines.push(`![msgs/s per scenario and client](${svgPath})`, '');
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
 * A hand-written SVG: one panel per throughput scenario (equal settings), one horizontal bar per
 * client, each panel scaled to its own fastest client; unverified runs show as "failed".
 */
export function svgChart(results: Results): string {
  const width = 760;
  const labelW = 110;
  const barMax = 480;
  const rowH = 20;
  const parts: string[] = [];
  let y = 40;
  for (const [scenario, byClient] of Object.entries(results.scenarios)) {
    if (scenario.startsWith('e2e-')) continue; // fixed rate: see the table's percentiles
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
          `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 14}" class="value">${fmt(v)} msgs/s${e.verified ? '' : ' (some runs failed)'}</text>`,
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
  const title = `kafkats benchmark · msgs/s at equal settings (higher is better) · Node ${results.node} · Kafka ${results.kafka} · scale ${String(results.settings.scale)}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">
<style>.title{font-size:14px;font-weight:600}.label{font-size:12px}.value{font-size:11px;fill:#374151}.muted{fill:#9ca3af}.head{font-size:13px}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="10" y="20" class="head">${esc(title)}</text>
${parts.join('\n')}
</svg>
`;
}

export async function writeResults(dir: string, results: Results): Promise<void> {
  addRatios(results.scenarios);
  if (results.ownDefaults) addRatios(results.ownDefaults);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(join(dir, 'latest.md'), `# kafkats benchmark: latest run\n\n${markdown(results)}`);
  await writeFile(join(dir, 'latest.svg'), svgChart(results));
}
