// Runs `prisma generate` offline. Prisma 7 only needs the schema engine for migrate, which
// cannot be downloaded here; pointing PRISMA_SCHEMA_ENGINE_BINARY at a script that exits 1
// stops the CLI from trying to fetch it (an absent binary would trigger a download attempt).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const fake = path.join(root, 'node_modules', '.cache', 'toolwarden', 'no-schema-engine.sh');
if (!existsSync(fake)) {
  mkdirSync(path.dirname(fake), { recursive: true });
  writeFileSync(fake, '#!/bin/sh\nexit 1\n');
  chmodSync(fake, 0o755);
}
if (!existsSync(path.join(root, 'prisma', 'schema.prisma'))) process.exit(0);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fake,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const res = spawnSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
