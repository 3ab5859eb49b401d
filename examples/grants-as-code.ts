import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

// "Grants as code": make a tenant's standing grants match a JSON file, through the management
// API only (docs/management-api.md). Idempotent: a second run with the same file changes
// nothing. Agents, servers and tools are named, not referenced by id, so one file can be
// applied to several tenants. With `prune`, the file is the whole truth for the tools it names:
// live standing grants on those tools that the file does not list are revoked.
//
//   TOOLWARDEN_URL=https://toolwarden.example.com TOOLWARDEN_TOKEN=twp_… \
//     npx tsx examples/grants-as-code.ts grants.json [--prune] [--dry-run]
//
// It only talks HTTP (no import of the application), so it can be copied into any repository.

const desiredGrantSchema = z.object({
  agent: z.string().min(1),
  server: z.string().min(1),
  tool: z.string().min(1),
  actions: z.array(z.string()).min(1),
  resourcePatterns: z.array(z.string()).default([]),
  environments: z.array(z.string()).default([]),
  condition: z.string().nullish(),
  delegation: z.enum(['required', 'allowed', 'forbidden']).default('allowed'),
  delegationUsers: z.array(z.string()).default([]),
  maxUses: z.number().int().nullish(),
  expiresAt: z.string().nullish(),
  justification: z.string().nullish(),
});
export const grantsFileSchema = z.object({ grants: z.array(desiredGrantSchema) });
export type GrantsFile = z.input<typeof grantsFileSchema>;
type Desired = z.output<typeof desiredGrantSchema>;

interface LiveGrant {
  id: string;
  agentId: string;
  toolId: string;
  kind: string;
  actions: string[];
  resourcePatterns: string[];
  environments: string[];
  condition: string | null;
  delegation: string;
  delegationUsers: string[];
  maxUses: number | null;
  expiresAt: string | null;
}

export interface ApplyResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  revoked: string[];
  /** one line per grant the API refused, with its reasons; the others are still applied */
  failed: string[];
}

export interface ApplyOptions {
  baseUrl: string;
  token: string;
  file: GrantsFile;
  prune?: boolean;
  dryRun?: boolean;
  log?: (line: string) => void;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { detail?: string; invalidParams?: { name: string; reason: string }[] },
  ) {
    super(`${status} ${problem.detail ?? ''}${problem.invalidParams?.length ? ` (${problem.invalidParams.map((p) => `${p.name}: ${p.reason}`).join('; ')})` : ''}`);
  }
}

function client(baseUrl: string, token: string) {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, json);
    return json as T;
  };
  /** every page of a keyset-paginated list */
  const all = async <T>(path: string): Promise<T[]> => {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await request('GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };
  return { request, all };
}

const sorted = (list: string[]) => [...list].sort();
const same = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** The fields the file controls. Expiry only when the file sets one: caps set it otherwise. */
function scopeOf(d: Desired) {
  return {
    actions: d.actions,
    resourcePatterns: d.resourcePatterns,
    environments: d.environments,
    condition: d.condition ?? null,
    delegation: d.delegation,
    delegationUsers: d.delegationUsers,
    maxUses: d.maxUses ?? null,
    ...(d.expiresAt ? { expiresAt: d.expiresAt } : {}),
  };
}

function matches(g: LiveGrant, d: Desired): boolean {
  return (
    same(g.actions, d.actions) &&
    same(g.resourcePatterns, d.resourcePatterns) &&
    same(g.environments, d.environments) &&
    (g.condition ?? null) === (d.condition?.trim() || null) &&
    g.delegation === d.delegation &&
    same(g.delegationUsers, d.delegationUsers) &&
    (g.maxUses ?? null) === (d.maxUses ?? null) &&
    (!d.expiresAt || (g.expiresAt !== null && new Date(g.expiresAt).getTime() === new Date(d.expiresAt).getTime()))
  );
}

export async function applyGrants(opts: ApplyOptions): Promise<ApplyResult> {
  const log = opts.log ?? (() => {});
  const file = grantsFileSchema.parse(opts.file);
  const api = client(opts.baseUrl, opts.token);
  const result: ApplyResult = { created: [], updated: [], unchanged: [], revoked: [], failed: [] };

  const [agents, servers, tools, live] = await Promise.all([
    api.all<{ id: string; name: string }>('/api/v1/manage/agents'),
    api.all<{ id: string; name: string }>('/api/v1/manage/servers'),
    api.all<{ id: string; name: string; serverId: string }>('/api/v1/manage/tools'),
    api.all<LiveGrant>('/api/v1/manage/grants?status=active&kind=standing'),
  ]);
  const agentId = new Map(agents.map((a) => [a.name, a.id]));
  const serverId = new Map(servers.map((s) => [s.name, s.id]));
  const toolId = new Map(tools.map((t) => [`${t.serverId} ${t.name}`, t.id]));

  const kept = new Set<string>();
  const managedTools = new Set<string>();
  for (const d of file.grants) {
    const label = `${d.agent} → ${d.server}/${d.tool}`;
    const aId = agentId.get(d.agent);
    const sId = serverId.get(d.server);
    const tId = sId ? toolId.get(`${sId} ${d.tool}`) : undefined;
    if (!aId || !tId) {
      result.failed.push(`${label}: ${!aId ? `no agent named ${d.agent}` : `no tool ${d.tool} on server ${d.server}`}`);
      continue;
    }
    managedTools.add(tId);
    const candidates = live.filter((g) => g.agentId === aId && g.toolId === tId && !kept.has(g.id));
    const exact = candidates.find((g) => matches(g, d));
    try {
      if (exact) {
        kept.add(exact.id);
        result.unchanged.push(label);
      } else if (candidates.length > 0) {
        // the same agent and tool with another scope: change that grant rather than add one
        kept.add(candidates[0].id);
        if (!opts.dryRun) await api.request('PATCH', `/api/v1/manage/grants/${candidates[0].id}`, scopeOf(d));
        result.updated.push(label);
      } else {
        if (!opts.dryRun) {
          const g = await api.request<{ id: string }>('POST', '/api/v1/manage/grants', { agentId: aId, toolId: tId, ...scopeOf(d), justification: d.justification ?? 'grants as code' });
          kept.add(g.id);
        }
        result.created.push(label);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      result.failed.push(`${label}: ${err.message}`);
    }
  }

  if (opts.prune) {
    for (const g of live) {
      if (!managedTools.has(g.toolId) || kept.has(g.id)) continue;
      const label = `${agents.find((a) => a.id === g.agentId)?.name ?? g.agentId} → ${tools.find((t) => t.id === g.toolId)?.name ?? g.toolId} (${g.id})`;
      try {
        if (!opts.dryRun) await api.request('POST', `/api/v1/manage/grants/${g.id}/revoke`, { reason: 'Not in the grants file (grants as code, --prune)' });
        result.revoked.push(label);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        result.failed.push(`revoke ${label}: ${err.message}`);
      }
    }
  }

  for (const [what, list] of Object.entries(result)) for (const line of list) log(`${opts.dryRun && what !== 'failed' ? '(dry run) ' : ''}${what}: ${line}`);
  return result;
}

async function main(argv: string[]): Promise<number> {
  const path = argv.find((a) => !a.startsWith('--'));
  const baseUrl = process.env.TOOLWARDEN_URL;
  const token = process.env.TOOLWARDEN_TOKEN;
  if (!path || !baseUrl || !token) {
    console.error('usage: TOOLWARDEN_URL=… TOOLWARDEN_TOKEN=twp_… tsx examples/grants-as-code.ts grants.json [--prune] [--dry-run]');
    return 2;
  }
  const file = JSON.parse(readFileSync(path, 'utf8')) as GrantsFile;
  const r = await applyGrants({ baseUrl, token, file, prune: argv.includes('--prune'), dryRun: argv.includes('--dry-run'), log: (l) => console.log(l) });
  console.log(`created ${r.created.length}, updated ${r.updated.length}, unchanged ${r.unchanged.length}, revoked ${r.revoked.length}, failed ${r.failed.length}`);
  return r.failed.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
