import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROOF_DIR } from '../tests/support/proof';
import { writeProofReport } from './proof-report';

// `npm run proof`: runs the security and reliability suites against real parts, collects what
// each one tried (they record into .proof/ through tests/support/proof.ts) and rewrites the
// figures section of docs/security.md from this run. LOAD_SECONDS (default 300) sets the length
// of the sustained load; PROOF_SKIP_LOAD=1 keeps the previous load figures.

const root = path.resolve(import.meta.dirname, '..');
const files = (dir: string, re: RegExp) =>
  existsSync(path.join(root, dir)) ? readdirSync(path.join(root, dir)).filter((f) => re.test(f)).map((f) => `${dir}/${f}`) : [];

const keepLoad = process.env.PROOF_SKIP_LOAD === '1';
for (const f of existsSync(PROOF_DIR) ? readdirSync(PROOF_DIR) : []) {
  if (keepLoad && f.startsWith('load')) continue;
  rmSync(path.join(PROOF_DIR, f));
}

const unit = ['lib/policy', 'lib/identity', 'lib/security'];
const integration = [...files('tests/integration', /^(security-|faults-|load-|api-fail-closed|api-decisions|api-body-limit|log-writer|user-sessions|sign-in-throttle|audit-chain-tamper).*\.test\.ts$/)];
const e2e = files('e2e', /^(security-|hardening-|load-).*\.spec\.ts$/);

const steps: { name: string; cmd: string; args: string[]; env?: Record<string, string> }[] = [
  { name: 'unit (engine, identity, headers)', cmd: 'npx', args: ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${PROOF_DIR}/vitest-unit.json`, ...unit] },
  { name: 'integration (attacks, fuzzing, faults)', cmd: 'npx', args: ['vitest', 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${PROOF_DIR}/vitest-integration.json`, ...integration] },
  { name: 'e2e (authorization matrix, CSRF, sessions, headers)', cmd: 'npx', args: ['playwright', 'test', '--reporter=list,json', ...e2e], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${PROOF_DIR}/playwright.json` } },
];
if (!keepLoad) steps.push({ name: 'sustained load', cmd: 'npx', args: ['tsx', 'bench/load.ts'], env: { LOAD_SECONDS: process.env.LOAD_SECONDS ?? '300' } });

const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const s of steps) {
  console.log(`\n━━━ proof: ${s.name} ━━━`);
  const t0 = Date.now();
  const res = spawnSync(s.cmd, s.args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...s.env } });
  results.push({ name: s.name, ok: res.status === 0, seconds: Math.round((Date.now() - t0) / 1000) });
  console.log(`${res.status === 0 ? 'PASS' : 'FAIL'} ${s.name} (${results.at(-1)!.seconds}s)`);
}

const report = writeProofReport(results);
console.log(`\nwrote ${path.relative(root, report)}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
