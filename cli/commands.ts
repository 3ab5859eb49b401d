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

async function tenantBySlug(slug: string) {
  const { findTenantBySlug } = await import('../lib/tenants/service');
  const tenant = await findTenantBySlug(slug);
  if (!tenant) throw new Error(`No tenant "${slug}"`);
  return tenant;
}

COMMANDS['server-key'] = {
  summary: 'create a server key for an MCP server: server-key create --server <name>',
  usage: 'toolwarden server-key create --server <name> [--tenant acme] [--name <label>] [--expires-in-days N]',
  run: async (argv) => {
    const [sub, ...rest] = argv;
    if (sub !== 'create') throw new UsageError('only `server-key create` is supported');
    const f = flags(rest, { server: { type: 'string' }, tenant: { type: 'string' }, name: { type: 'string' }, 'expires-in-days': { type: 'string' } });
    const serverName = required(f.server, 'server');
    return withDatabase(async () => {
      const tenant = await tenantBySlug(f.tenant ?? 'acme');
      const { db } = await import('../lib/db/client');
      const server = await db().mcpServer.findFirst({ where: { tenantId: tenant.id, name: serverName } });
      if (!server) throw new Error(`No server "${serverName}" in tenant "${tenant.slug}"`);
      const { createServerKey } = await import('../lib/servers/keys');
      const { systemContext } = await import('../lib/context');
      const ctx = { ...systemContext(tenant.id, 'cli'), actor: { type: 'system' as const, id: null, label: 'cli' } };
      const key = await createServerKey(ctx, server.id, { name: f.name ?? 'cli', expiresInDays: f['expires-in-days'] });
      console.error(`Server key for ${server.name} (${key.prefix}); shown once, store it now:`);
      console.log(key.key);
      return 0;
    });
  },
};

COMMANDS.token = {
  summary: 'mint a demo JWT-SVID for an agent: token mint --agent <name> --audience <server>',
  usage: 'toolwarden token mint --agent <name> --audience <server name or audience> [--tenant acme] [--ttl 300] [--on-behalf-of <user>]',
  run: async (argv) => {
    const [sub, ...rest] = argv;
    if (sub !== 'mint') throw new UsageError('only `token mint` is supported');
    const f = flags(rest, { agent: { type: 'string' }, audience: { type: 'string' }, tenant: { type: 'string' }, ttl: { type: 'string' }, 'on-behalf-of': { type: 'string' } });
    const agentName = required(f.agent, 'agent');
    const audienceArg = required(f.audience, 'audience');
    return withDatabase(async () => {
      const tenant = await tenantBySlug(f.tenant ?? 'acme');
      const { db } = await import('../lib/db/client');
      const agent = await db().agent.findFirst({
        where: { tenantId: tenant.id, name: agentName },
        include: { identities: { where: { kind: 'spiffe_jwt' }, include: { trustDomain: true } } },
      });
      if (!agent) throw new Error(`No agent "${agentName}" in tenant "${tenant.slug}"`);
      const { loadDemoKey } = await import('../lib/demo/keys');
      const { mintJwtSvid } = await import('../lib/demo/mint-token');
      for (const identity of agent.identities) {
        const key = loadDemoKey(dataDir(), tenant.slug, identity.trustDomain.name);
        if (!key) continue;
        const server = await db().mcpServer.findFirst({ where: { tenantId: tenant.id, OR: [{ name: audienceArg }, { audience: audienceArg }] } });
        const token = await mintJwtSvid({
          key,
          spiffeId: identity.subject,
          audience: server?.audience ?? audienceArg,
          ttlSeconds: f.ttl ? Number(f.ttl) : 300,
          issuer: identity.trustDomain.issuer,
          onBehalfOf: f['on-behalf-of'],
        });
        console.log(token);
        return 0;
      }
      throw new Error(`Agent "${agentName}" has no SPIFFE identity in a trust domain whose demo key is in ${dataDir()}`);
    });
  },
};

Object.assign(COMMANDS, (await import('./audit-commands')).AUDIT_COMMANDS);
export { UsageError };
