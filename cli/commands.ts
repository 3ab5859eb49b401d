import { flags, required, UsageError } from './args';
import { dataDir, withDatabase } from './database';

// Each command: a one-line summary for --help, usage, and a run function returning an exit code.
export interface Command {
  summary: string;
  usage: string;
  run: (argv: string[]) => Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  migrate: {
    summary: 'apply database migrations (DATABASE_URL, else the embedded database)',
    usage: 'toolwarden migrate',
    run: async (argv) => {
      flags(argv, {});
      return withDatabase(async (url) => {
        const { migrate } = await import('../lib/db/migrate');
        const res = await migrate(url, { log: console.log });
        console.log(res.applied.length ? `${res.applied.length} migration(s) applied` : 'Database schema is up to date.');
        return 0;
      });
    },
  },
  'create-admin': {
    summary: 'create a tenant (if needed) and its first admin user',
    usage: 'toolwarden create-admin --tenant <slug> --email <email> [--name <tenant name>] [--password <pw> | TOOLWARDEN_ADMIN_PASSWORD]',
    run: async (argv) => {
      const f = flags(argv, { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } });
      const slug = required(f.tenant, 'tenant');
      const email = required(f.email, 'email');
      const { randomSecret } = await import('../lib/ids');
      const password = f.password ?? process.env.TOOLWARDEN_ADMIN_PASSWORD ?? randomSecret(15);
      return withDatabase(async () => {
        const { bootstrapTenantAdmin } = await import('../lib/tenants/service');
        const res = await bootstrapTenantAdmin({ slug, name: f.name ?? slug, adminEmail: email, adminPassword: password });
        console.log(`Admin ${res.user.email} can sign in to tenant "${res.tenant.slug}".`);
        if (!f.password && !process.env.TOOLWARDEN_ADMIN_PASSWORD) console.log(`Initial password (shown once): ${password}`);
        return 0;
      });
    },
  },
  'seed-demo': {
    summary: 'seed the demo tenant "acme" into an empty database',
    usage: 'toolwarden seed-demo [--password <pw>]',
    run: async (argv) => {
      const f = flags(argv, { password: { type: 'string' } });
      return withDatabase(async () => {
        const { hasAnyTenant, seedDemo } = await import('../lib/demo/seed');
        const { findTenantBySlug } = await import('../lib/tenants/service');
        if (await findTenantBySlug('acme')) {
          console.error('The demo tenant "acme" already exists.');
          return 1;
        }
        if (await hasAnyTenant()) console.warn('Note: the database already has other tenants; adding the demo tenant beside them.');
        const res = await seedDemo(dataDir(), { password: f.password });
        console.log(`Demo tenant "${res.tenantSlug}" seeded. Password for every demo user: ${res.password}`);
        for (const u of res.users) console.log(`  ${u.email.padEnd(22)} ${u.role}`);
        return 0;
      });
    },
  },
};

export { UsageError };
