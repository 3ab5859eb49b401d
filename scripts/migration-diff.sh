#!/usr/bin/env bash
# Authors the SQL for a schema change offline: diffs prisma/schema.prisma as committed at REV
# (default HEAD) against the working copy, with Prisma 6.19's JS schema engine on an in-memory
# PGlite (Prisma 7's schema engine binary cannot be downloaded here). Prints SQL to stdout;
# review it, then save it as prisma/migrations/<timestamp>_<name>/migration.sql.
# Things Prisma cannot express (partitioning, triggers, partial indexes) are added by hand.
set -euo pipefail
rev="${1:-HEAD}"
root="$(git rev-parse --show-toplevel)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name":"migration-diff","private":true,"type":"module"}' > package.json
npm install --silent --no-audit --no-fund prisma@6.19.3 @prisma/client@6.19.3 pglite-prisma-adapter@0.6.1 @electric-sql/pglite@0.3 >/dev/null 2>&1
to_v6() { sed -e 's/provider     = "prisma-client"/provider = "prisma-client-js"/' -e '/^  output /d' -e '/moduleFormat/d' \
  -e 's/^  provider = "postgresql"$/  provider = "postgresql"\n  url = "postgresql:\/\/unused"/'; }
git -C "$root" show "$rev:prisma/schema.prisma" | to_v6 > from.prisma
to_v6 < "$root/prisma/schema.prisma" > to.prisma
cat > prisma.config.ts <<'CFG'
import { defineConfig } from 'prisma/config';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
export default defineConfig({ experimental: { adapter: true }, engine: 'js', schema: 'to.prisma', adapter: async () => new PrismaPGlite(new PGlite()) } as any);
CFG
printf '#!/bin/sh\nexit 1\n' > no-engine.sh && chmod +x no-engine.sh && touch no-query-engine.so.node
PRISMA_QUERY_ENGINE_LIBRARY="$work/no-query-engine.so.node" PRISMA_SCHEMA_ENGINE_BINARY="$work/no-engine.sh" \
  npx prisma migrate diff --from-schema-datamodel from.prisma --to-schema-datamodel to.prisma --script
