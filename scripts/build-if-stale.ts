import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

// `npm start` builds the console only when its sources changed since the last build: a hash of
// every file Next compiles, kept next to the build output.

const INPUTS = ['app', 'components', 'lib', 'next.config.js', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];
const SKIP = new Set(['node_modules', '.next', 'generated']);
const distDir = () => process.env.NEXT_DIST_DIR ?? '.next';

function walk(p: string, out: string[]): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) if (!SKIP.has(e) && !e.endsWith('.test.ts')) walk(path.join(p, e), out);
  } else out.push(p);
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const i of INPUTS) walk(path.join(root, i), files);
  const h = createHash('sha256');
  for (const f of files) h.update(path.relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex');
}

export function buildIfStale(root: string, log: (m: string) => void = console.log): void {
  const marker = path.join(root, distDir(), 'toolwarden-source.hash');
  const hash = sourceHash(root);
  if (existsSync(path.join(root, distDir(), 'BUILD_ID')) && existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  log('Building the console (first start or sources changed)…');
  const res = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (res.status !== 0) throw new Error('next build failed');
  // hashed again after the build: next build may rewrite tsconfig.json
  writeFileSync(marker, sourceHash(root));
}
