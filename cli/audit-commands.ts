import type { Command } from './commands';
import { flags, UsageError } from './args';
import { withDatabase } from './database';

// `toolwarden audit verify [--tenant <slug>]`: recompute every tenant's audit hash chain (or
// one tenant's). Exit 0 when every chain verifies, 1 when any link is broken (or the tenant does
// not exist), 2 on a usage error. Meant for cron jobs and incident checklists.

export const AUDIT_COMMANDS: Record<string, Command> = {
  audit: {
    summary: 'verify the audit trail hash chain: audit verify [--tenant <slug>]',
    usage: 'toolwarden audit verify [--tenant <slug>] [--json]',
    run: async (argv) => {
      const [sub, ...rest] = argv;
      if (sub !== 'verify') throw new UsageError('only `audit verify` is supported');
      const f = flags(rest, { tenant: { type: 'string' }, json: { type: 'boolean' } });
      return withDatabase(async () => {
        const { db } = await import('../lib/db/client');
        const { verifyAuditChain } = await import('../lib/audit/verify');
        const tenants = f.tenant
          ? await db().tenant.findMany({ where: { slug: f.tenant }, select: { id: true, slug: true } })
          : await db().tenant.findMany({ select: { id: true, slug: true }, orderBy: { slug: 'asc' } });
        if (f.tenant && tenants.length === 0) {
          console.error(`No tenant "${f.tenant}"`);
          return 1;
        }
        let broken = 0;
        const report = [];
        for (const t of tenants) {
          const result = await verifyAuditChain(t.id);
          report.push({ tenant: t.slug, ...result });
          if (result.ok) {
            if (!f.json) console.log(`${t.slug}: OK — ${result.checked} event(s) verified${result.headSeq ? `, head seq ${result.headSeq}` : ''}`);
          } else {
            broken++;
            if (!f.json) {
              console.log(
                `${t.slug}: BROKEN at seq ${result.brokenAt.seq} (event ${result.brokenAt.id}): ${result.brokenAt.problem.replace(/_/g, ' ')}; ${result.checked} event(s) before it verified`,
              );
            }
          }
        }
        if (f.json) console.log(JSON.stringify(report, null, 2));
        if (!f.json) console.log(broken ? `${broken} of ${tenants.length} chain(s) broken.` : `All ${tenants.length} chain(s) verify.`);
        return broken ? 1 : 0;
      });
    },
  },
};
