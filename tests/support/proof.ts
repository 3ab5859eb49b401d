import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Security and reliability suites record what they tried (inputs, attacks, faults, rows lost)
// here, so `npm run proof` can put the figures of a real run into docs/security.md. Figures are
// merged per suite and key; counts add up across test files of the same run.

export const PROOF_DIR = process.env.PROOF_DIR ?? path.resolve(import.meta.dirname, '../../.proof');

type Figures = Record<string, number | string | boolean>;

function file(suite: string) {
  return path.join(PROOF_DIR, `${suite.replace(/[^a-z0-9-]/gi, '_')}.json`);
}

export function readProof(suite: string): Figures {
  try {
    return JSON.parse(readFileSync(file(suite), 'utf8')) as Figures;
  } catch {
    return {};
  }
}

/** Set figures (strings/booleans replace; numbers replace unless `add` is true, then they accumulate). */
export function recordProof(suite: string, figures: Figures, opts: { add?: boolean } = {}): void {
  mkdirSync(PROOF_DIR, { recursive: true });
  const current = readProof(suite);
  for (const [k, v] of Object.entries(figures)) {
    current[k] = opts.add && typeof v === 'number' && typeof current[k] === 'number' ? (current[k] as number) + v : v;
  }
  current.recordedAt = new Date().toISOString();
  writeFileSync(file(suite), JSON.stringify(current, null, 2) + '\n');
}
