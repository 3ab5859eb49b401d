import { spawnSync } from 'node:child_process';

// `npm test`: every suite, in order, each against real parts: typecheck, unit (vitest), integration
// (vitest on a fresh PostgreSQL database), e2e (Playwright in Debian Chromium against the built
// server). All suites run even when one fails; the exit code is non-zero if any failed.

const suites: { name: string; cmd: string; args: string[] }[] = [
  { name: 'typecheck', cmd: 'npx', args: ['tsc', '--noEmit', '-p', '.'] },
  { name: 'unit', cmd: 'npx', args: ['vitest', 'run', '--project', 'unit'] },
  { name: 'integration', cmd: 'npx', args: ['vitest', 'run', '--project', 'integration'] },
  { name: 'e2e', cmd: 'npx', args: ['playwright', 'test'] },
];

const only = process.argv.slice(2);
const results: { name: string; ok: boolean; seconds: number }[] = [];
for (const s of suites) {
  if (only.length && !only.includes(s.name)) continue;
  console.log(`\n━━━ ${s.name} ━━━`);
  const t0 = Date.now();
  const res = spawnSync(s.cmd, s.args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  results.push({ name: s.name, ok: res.status === 0, seconds: Math.round((Date.now() - t0) / 1000) });
}

console.log('\n━━━ summary ━━━');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`suites: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
