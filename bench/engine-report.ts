// Result types of the engine benchmark, the targets it is judged by, and its markdown report.

export const ENGINE = 'toolwarden decide()';
export const ENGINE_SAME_REQUESTS = 'toolwarden decide(), requests of the smallest run';
export const CEDAR_SLICED = 'cedar statefulIsAuthorized, one preparsed set per agent';
export const CEDAR_WHOLE = 'cedar statefulIsAuthorized, one preparsed set';
export const CEDAR_BASIC = 'cedar isAuthorized (parses the set per call)';

export interface EngineBenchRow {
  engine: string;
  grants: number;
  /** compile() for our engine, preparsePolicySet() for Cedar; null when not applicable */
  prepareMs: number | null;
  decisionsPerSecond: number;
  p50Us: number;
  p99Us: number;
  latencySamples: number;
}

export interface Agreement {
  engine: string;
  grants: number;
  checked: number;
  agreed: number;
}

export interface Target {
  target: string;
  met: boolean;
  measured: string;
}

export interface EngineBenchResults {
  rows: EngineBenchRow[];
  /** our allow/deny against Cedar's on the same requests */
  agreement: Agreement[];
  targets: Target[];
  notes: string[];
  environment: {
    node: string;
    cpu: string;
    cores: number;
    cedar: string;
    timerOverheadUs: number;
    shape: string;
    quick: boolean;
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (n: number) => (n < 10 ? n.toFixed(2) : n < 1000 ? n.toFixed(1) : int(n));

export function evaluateTargets(rows: readonly EngineBenchRow[], sizes: readonly number[]): Target[] {
  const rate = (engine: string, grants: number) =>
    rows.find((r) => r.engine === engine && r.grants === grants)?.decisionsPerSecond;
  const out: Target[] = [];

  const at10k = rate(ENGINE, 10_000);
  if (at10k !== undefined) {
    out.push({ target: '≥ 1,000,000 decisions/s at 10,000 grants', met: at10k >= 1_000_000, measured: `${int(at10k)}/s` });
  }

  const small = rate(ENGINE, 100);
  const large = rate(ENGINE, 100_000);
  const largeSame = rate(ENGINE_SAME_REQUESTS, 100_000);
  if (small !== undefined && large !== undefined) {
    out.push({
      target: '100,000 grants no more than 1.5× slower than 100',
      met: small / large <= 1.5,
      measured:
        `${(small / large).toFixed(2)}× with each size's own requests` +
        (largeSame !== undefined ? `; ${(small / largeSame).toFixed(2)}× on the same requests` : ''),
    });
  }

  // Judged against Cedar's fastest configuration measured at each size where it ran.
  const vsCedar = sizes.flatMap((g) => {
    const cedar = Math.max(...[CEDAR_SLICED, CEDAR_WHOLE, CEDAR_BASIC].map((e) => rate(e, g) ?? 0));
    return cedar > 0 ? [{ g, ratio: (rate(ENGINE, g) ?? 0) / cedar }] : [];
  });
  if (vsCedar.length > 0) {
    const missing = sizes.filter((g) => !vsCedar.some((x) => x.g === g));
    out.push({
      target: 'faster than Cedar (its fastest configuration) at every size',
      met: vsCedar.every((x) => x.ratio > 1) && missing.length === 0,
      measured:
        vsCedar.map((x) => `${int(x.ratio)}× at ${int(x.g)}`).join(', ') +
        (missing.length > 0 ? `; not measured at ${missing.map(int).join(', ')}` : ''),
    });
  }
  return out;
}

export function toMarkdown(r: EngineBenchResults): string {
  const e = r.environment;
  return [
    `### Policy engine: decide() vs Cedar${e.quick ? ' (quick run)' : ''}`,
    '',
    `Node ${e.node}, ${e.cpu} (${e.cores} cores; one used), Cedar ${e.cedar}. ${e.shape} ` +
      'Throughput: median of timed trials, sizes interleaved so machine noise hits them alike. ' +
      `Latency: per call, including ~${e.timerOverheadUs.toFixed(2)} µs of clock reading.`,
    '',
    '| engine | grants | prepare (ms) | decisions/s | p50 (µs) | p99 (µs) | latency samples |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.rows.map(
      (row) =>
        `| ${row.engine} | ${int(row.grants)} | ${row.prepareMs === null ? '—' : int(row.prepareMs)} | ` +
        `${int(row.decisionsPerSecond)} | ${us(row.p50Us)} | ${us(row.p99Us)} | ${int(row.latencySamples)} |`,
    ),
    '',
    'Same answers as Cedar (allow/deny on the same requests): ' +
      r.agreement
        .map((a) => `${int(a.agreed)}/${int(a.checked)} (${a.engine.replace('cedar statefulIsAuthorized, ', '')}, ${int(a.grants)} grants)`)
        .join('; ') +
      '.',
    '',
    ...r.notes.map((n) => `- ${n}`),
    ...(r.notes.length > 0 ? [''] : []),
    '| target | met | measured |',
    '|---|---|---|',
    ...r.targets.map((t) => `| ${t.target} | ${t.met ? 'yes' : '**no**'} | ${t.measured} |`),
    '',
  ].join('\n');
}
