import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import type { APIRequestContext } from '@playwright/test';
import { e2eDatabaseUrl } from '../helpers';
import type { OwnTenant, TenantUser } from './second-tenant';

// What the matrix's fixture factories build with: calls to the console API as a given user
// (fixtures are made through the same endpoints people use, so they are real rows with real
// audit events), a few base objects, and a digest of everything a tenant owns in the database,
// to prove that a refused call changed nothing.

export interface CallResult {
  status: number;
  text: string;
  json: unknown;
}

export type OriginMode = 'same' | 'foreign' | 'none';

export async function call(
  api: APIRequestContext,
  baseURL: string,
  method: string,
  url: string,
  body?: unknown,
  origin: OriginMode = 'same',
): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (origin === 'same') headers.origin = new URL(baseURL).origin;
  if (origin === 'foreign') headers.origin = 'https://evil.example';
  const res = await api.fetch(url, { method, headers, ...(body === undefined ? {} : { data: body }), maxRedirects: 0 });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV exports, HTML pages
  }
  return { status: res.status(), text, json };
}

export class Kit {
  readonly base = { trustDomainId: '', trustDomainName: '', serverId: '', lowToolId: '', mediumToolId: '' };
  private n = 0;
  private constructor(
    readonly tenant: OwnTenant,
    readonly baseURL: string,
    readonly marker: string,
    private readonly pool: pg.Pool,
  ) {}

  static async create(tenant: OwnTenant, baseURL: string, marker: string): Promise<Kit> {
    const kit = new Kit(tenant, baseURL, marker, new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 2 }));
    const td = await kit.trustDomain();
    kit.base.trustDomainId = td.id;
    kit.base.trustDomainName = td.name;
    kit.base.serverId = (await kit.server()).id;
    kit.base.lowToolId = (await kit.tool({ risk: 'low' })).id;
    kit.base.mediumToolId = (await kit.tool({ risk: 'medium' })).id;
    return kit;
  }

  async close() {
    await this.pool.end();
  }

  user(key: string): TenantUser {
    const u = this.tenant.users[key];
    if (!u) throw new Error(`no user ${key} in ${this.tenant.slug}`);
    return u;
  }

  get admin() {
    return this.user('admin');
  }

  /** a fresh lower-case name carrying the tenant's marker */
  name(prefix: string) {
    return `${prefix}-${this.marker}-${++this.n}-${randomBytes(2).toString('hex')}`;
  }

  url(path: string) {
    return `/api/console/t/${this.tenant.slug}${path}`;
  }

  async call(as: TenantUser, method: string, path: string, body?: unknown, origin: OriginMode = 'same') {
    return call(as.api, this.baseURL, method, this.url(path), body, origin);
  }

  /** a fixture step that must work: anything else is a broken fixture, not a finding */
  async ok<T = Record<string, unknown>>(as: TenantUser, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(as, method, path, body);
    if (res.status < 200 || res.status > 299) throw new Error(`fixture ${method} ${path} as ${as.key}: ${res.status} ${res.text.slice(0, 400)}`);
    return res.json as T;
  }

  async sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, params)).rows;
  }

  // ---- builders (as the admin unless said otherwise) ----

  async trustDomain() {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: `k-${randomBytes(3).toString('hex')}`, alg: 'ES256', use: 'sig' };
    const name = `${this.name('td')}.test`;
    const td = await this.ok<{ id: string }>(this.admin, 'POST', '/trust-domains', { name, description: `trust domain ${this.marker}`, jwks: { keys: [jwk] }, allowedAlgs: ['ES256'] });
    return { id: td.id, name };
  }

  async server() {
    const name = this.name('srv');
    return this.ok<{ id: string }>(this.admin, 'POST', '/servers', { name, description: `server ${this.marker}`, audience: `https://${name}.mcp.test` });
  }

  async serverKey(serverId = this.base.serverId) {
    return this.ok<{ id: string }>(this.admin, 'POST', `/servers/${serverId}/keys`, { name: this.name('key') });
  }

  async tool(opts: { risk?: 'low' | 'medium' | 'high' | 'critical'; serverId?: string } = {}) {
    const name = this.name('tool');
    const tool = await this.ok<{ id: string }>(this.admin, 'POST', '/tools', { serverId: opts.serverId ?? this.base.serverId, name, description: `tool ${this.marker}` });
    if (opts.risk) await this.ok(this.admin, 'POST', `/tools/${tool.id}/classify`, { risk: opts.risk, defaultAction: 'read', sensitivity: 'internal' });
    return { id: tool.id, name };
  }

  async toolOwner(toolId: string, userId: string) {
    await this.ok(this.admin, 'POST', `/tools/${toolId}/owners`, { userId });
  }

  async agent(opts: { ownerUserId?: string | null } = {}) {
    const name = this.name('agent');
    const agent = await this.ok<{ id: string }>(this.admin, 'POST', '/agents', { name, description: `agent ${this.marker}`, ownerUserId: opts.ownerUserId ?? null });
    return { id: agent.id, name };
  }

  async identity(agentId: string) {
    const subject = `spiffe://${this.base.trustDomainName}/agents/${this.name('wl')}`;
    return this.ok<{ id: string }>(this.admin, 'POST', `/agents/${agentId}/identities`, { trustDomainId: this.base.trustDomainId, kind: 'spiffe_jwt', subject });
  }

  async grant(opts: { agentId?: string; toolId?: string } = {}) {
    const agentId = opts.agentId ?? (await this.agent()).id;
    return this.ok<{ id: string }>(this.admin, 'POST', '/grants', { agentId, toolId: opts.toolId ?? this.base.lowToolId, actions: ['read'], justification: `grant ${this.marker}` });
  }

  async denyRule() {
    const agent = await this.agent();
    return this.ok<{ id: string }>(this.admin, 'POST', '/deny-rules', { agentId: agent.id, reason: `deny ${this.marker}` });
  }

  /** a pending request filed by `filer` for an agent `filer` owns */
  async accessRequest(filer: TenantUser, toolId = this.base.mediumToolId) {
    const agent = await this.agent({ ownerUserId: filer.userId });
    const req = await this.ok<{ id: string }>(filer, 'POST', '/requests', {
      agentId: agent.id,
      toolId,
      actions: ['read'],
      durationSeconds: 3600,
      justification: `needed for the authorization matrix ${this.marker}`,
    });
    return { id: req.id, agentId: agent.id };
  }

  /** filed by the filer, approved by security: a request with a live jit grant */
  async approvedRequest() {
    const req = await this.accessRequest(this.user('filer'));
    const decided = await this.ok<{ grantId: string }>(this.user('security'), 'POST', `/approvals/${req.id}`, { verdict: 'approve', comment: 'ok' });
    return { id: req.id, grantId: decided.grantId };
  }

  /** a campaign over every live standing grant; returns the item of `grantId` */
  async reviewItem(grantId: string) {
    const campaign = await this.ok<{ id: string }>(this.admin, 'POST', '/reviews', {
      name: `review ${this.marker} ${++this.n}`,
      scope: { elevated: false, standingOlderThanDays: 0 },
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    const detail = await this.ok<{ items: { id: string; grant: { id: string } }[] }>(this.admin, 'GET', `/reviews/${campaign.id}`);
    const item = detail.items.find((i) => i.grant.id === grantId);
    if (!item) throw new Error(`campaign ${campaign.id} has no item for grant ${grantId}`);
    return { campaignId: campaign.id, itemId: item.id };
  }

  async breakGlass(by: TenantUser) {
    const agent = await this.agent();
    return this.ok<{ id: string }>(by, 'POST', '/break-glass', {
      agentId: agent.id,
      toolId: this.base.lowToolId,
      actions: ['read'],
      durationSeconds: 600,
      justification: `incident ${this.marker}: the normal approval path cannot wait`,
    });
  }

  async webhook() {
    // paused: no event is queued to it, so the delivery worker never touches this tenant's rows
    return this.ok<{ id: string }>(this.admin, 'POST', '/webhooks', { url: `http://127.0.0.1:9/${this.name('hook')}`, active: false });
  }

  /** a delivery that ran out of attempts (the worker leaves failed rows alone until retried) */
  async failedDelivery(webhookId: string) {
    const id = `whd_e2e${randomBytes(8).toString('hex')}`;
    await this.sql(`INSERT INTO "WebhookDelivery" (id, "tenantId", "webhookId", event, payload, status, attempts, "lastError") VALUES ($1, $2, $3, 'webhook.test', $4, 'failed', ${SPENT_ATTEMPTS}, 'connection refused')`, [
      id,
      this.tenant.id,
      webhookId,
      JSON.stringify({ text: `delivery ${this.marker}` }),
    ]);
    return { id };
  }

  async member(role: 'admin' | 'security' | 'member' | 'auditor' = 'member') {
    const email = `${this.name('m')}@${this.tenant.slug}.test`;
    const res = await this.ok<{ membership: { id: string }; user: { id: string } }>(this.admin, 'POST', '/members', { email, role });
    return { membershipId: res.membership.id, userId: res.user.id, email };
  }

  async apiToken(as: TenantUser) {
    return this.ok<{ id: string }>(as, 'POST', '/api-tokens', { name: this.name('token') });
  }

  async toolPolicy(toolId: string) {
    await this.ok(this.admin, 'POST', '/approval-policies/tools', { toolId, ...LOW_RULE });
  }

  // ---- proof that nothing changed ----

  /**
   * One hash per table of everything the tenant owns (plus its Tenant row and the number of
   * users): equal digests before and after a refused call mean it changed nothing. Webhook
   * deliveries count by identity only, because the delivery worker updates attempts on its own.
   */
  async digest(tenantId = this.tenant.id): Promise<Record<string, string>> {
    const tables = await this.tenantTables();
    const parts = tables.map((t) => {
      // the audit trail is append-only (a trigger refuses UPDATE/DELETE): count and last seq say it all
      if (t === 'AuditEvent') return `SELECT '${t}' AS t, count(*) || ':' || coalesce(max(x.seq), 0) AS h FROM "${t}" x WHERE x."tenantId" = $1`;
      if (t === 'WebhookDelivery') return `SELECT '${t}' AS t, md5(coalesce(string_agg(x.id || ':' || x."webhookId" || ':' || x.event, ',' ORDER BY x.id), '')) AS h FROM "${t}" x WHERE x."tenantId" = $1`;
      return `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM "${t}" x WHERE x."tenantId" = $1`;
    });
    // …except the failed deliveries made here: a retry takes one out of this set, audited or not
    parts.push(`SELECT 'WebhookDelivery(failed)', coalesce(string_agg(x.id, ',' ORDER BY x.id), '') FROM "WebhookDelivery" x WHERE x."tenantId" = $1 AND x.status = 'failed' AND x.attempts = ${SPENT_ATTEMPTS}`);
    parts.push(`SELECT 'Tenant', md5(coalesce(string_agg(x::text, ','), '')) FROM "Tenant" x WHERE x.id = $1`);
    parts.push(`SELECT 'User(count)', count(*)::text FROM "User"`);
    const rows = await this.sql<{ t: string; h: string }>(parts.join(' UNION ALL '), [tenantId]);
    return Object.fromEntries(rows.map((r) => [r.t, r.h]));
  }

  async auditCount(tenantId = this.tenant.id): Promise<number> {
    const [row] = await this.sql<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent" WHERE "tenantId" = $1', [tenantId]);
    return Number(row.n);
  }

  private tables?: string[];
  private async tenantTables(): Promise<string[]> {
    this.tables ??= (
      await this.sql<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attname = 'tenantId' AND NOT a.attisdropped
         ORDER BY c.relname`,
      )
    ).map((r) => r.relname);
    return this.tables;
  }
}

/** more attempts than the worker ever makes, so only these rows carry this count */
const SPENT_ATTEMPTS = 99;

export const LOW_RULE = { standingAllowed: true, approvalsRequired: 0, approvers: 'none', maxDurationSeconds: null } as const;

/** the tables whose hash differs */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]);
}
