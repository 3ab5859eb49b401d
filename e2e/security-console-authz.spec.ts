import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ROLES } from '../lib/auth/permissions';
import { recordProof } from '../tests/support/proof';
import { changedTables, Kit, type OriginMode } from './support/console-route-kit';
import {
  allowedRoles,
  CONSOLE_ROUTE_MATRIX,
  isMutation,
  PAGE_IDS,
  PAGE_SEGMENTS,
  type Fixture,
  type MatrixEntry,
  type MutationEntry,
  type ObjectKind,
} from './support/console-route-matrix';
import { consoleApiRoutes, consolePages, fillPattern, MUTATING_METHODS, paramNames, routeKey } from './support/console-route-table';
import { createOwnTenant, type OwnTenant, type TenantUser } from './support/second-tenant';

// Issue 8, console side: the authorization matrix (every mutation × every role, refused calls
// change nothing), CSRF on every mutation, and tenant isolation (every route and page with an
// id × another tenant's ids; another tenant's slug as a non-member). The route list comes from
// the filesystem; the expectations from the checked-in matrix and ROLE_PERMISSIONS.
//
// Two tenants of this spec's own (the demo tenant is shared with other specs): A, where the
// matrix runs, with a user of every role plus a second security user who files requests and
// breaks glass (so four-eyes rules have someone else to be); and B, whose objects A's admin
// tries to reach. Every name in B carries MARKER_B, so a response can be searched for leaks.
// Each test collects every mismatch and reports them together, so one run shows the whole
// picture instead of the first failure.

const MARKER_A = `mxa${randomBytes(3).toString('hex')}`;
const MARKER_B = `leakb${randomBytes(3).toString('hex')}`;
const ROLE_USERS = ROLES.map((role) => ({ key: role, role }));

let A: OwnTenant;
let B: OwnTenant;
let kitA: Kit;
let kitB: Kit;
let other: Record<ObjectKind, string>;
const figures = { routes: 0, mutations: 0, roleChecks: 0, tenantChecks: 0, csrfChecks: 0, refusedChanged: 0 };

const mutations = CONSOLE_ROUTE_MATRIX.filter(isMutation);

test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(120_000);
  const usersB = [
    { key: 'admin', role: 'admin' as const },
    { key: 'filer', role: 'security' as const },
    { key: 'security', role: 'security' as const },
    { key: 'member', role: 'member' as const },
  ];
  [A, B] = await Promise.all([
    createOwnTenant(baseURL!, { prefix: 'sec-a', marker: MARKER_A, users: [...ROLE_USERS, { key: 'filer', role: 'security' }] }),
    createOwnTenant(baseURL!, { prefix: 'sec-b', marker: MARKER_B, users: usersB }),
  ]);
  [kitA, kitB] = await Promise.all([Kit.create(A, baseURL!, MARKER_A), Kit.create(B, baseURL!, MARKER_B)]);
  other = await objectsOf(kitB);
});

test.afterAll(async () => {
  recordProof('authz-matrix', figures, { add: true });
  await kitA?.close();
  await kitB?.close();
  await A?.dispose();
  await B?.dispose();
});

/** one object of every kind in tenant B, made through B's own console API */
async function objectsOf(kb: Kit): Promise<Record<ObjectKind, string>> {
  const agent = await kb.agent({ ownerUserId: kb.user('filer').userId });
  const grant = await kb.grant({ agentId: agent.id });
  const policyTool = await kb.tool({ risk: 'low' });
  await kb.toolPolicy(policyTool.id);
  await kb.toolOwner(kb.base.lowToolId, kb.user('member').userId);
  const review = await kb.reviewItem(grant.id);
  const webhook = await kb.webhook();
  const decision = `dec_e2e${randomBytes(8).toString('hex')}`;
  await kb.sql(`INSERT INTO "DecisionLog" (id, time, "tenantId", tool, allow, reason, explanation) VALUES ($1, now(), $2, $3, false, 'no_grant', $4)`, [
    decision,
    kb.tenant.id,
    kb.name('tool'),
    `explanation ${kb.marker}`,
  ]);
  return {
    agent: agent.id,
    identity: (await kb.identity(agent.id)).id,
    trustDomain: kb.base.trustDomainId,
    server: kb.base.serverId,
    serverKey: (await kb.serverKey()).id,
    tool: kb.base.lowToolId,
    toolOwnerUser: kb.user('member').userId,
    policyTool: policyTool.id,
    grant: grant.id,
    denyRule: (await kb.denyRule()).id,
    request: (await kb.accessRequest(kb.user('filer'))).id,
    approvedRequest: (await kb.approvedRequest()).id,
    campaign: review.campaignId,
    reviewItem: review.itemId,
    breakGlass: (await kb.breakGlass(kb.user('filer'))).id,
    webhook: webhook.id,
    delivery: (await kb.failedDelivery(webhook.id)).id,
    member: (await kb.member()).membershipId,
    apiToken: (await kb.apiToken(kb.user('admin'))).id,
    decision,
  };
}

const is2xx = (s: number) => s >= 200 && s < 300;
const label = (e: { method: string; pattern: string }) => routeKey(e);

/** a call that must be refused: returns a problem line, or null when refused with nothing changed */
async function expectRefused(kit: Kit, actor: TenantUser, e: MutationEntry, fx: Fixture, status: number[], origin: OriginMode = 'same'): Promise<string | null> {
  const before = await kit.digest();
  const res = await kit.call(actor, e.method, fillPattern(e.pattern, fx.params), fx.body, origin);
  const changed = changedTables(before, await kit.digest());
  if (changed.length) figures.refusedChanged++;
  if (!status.includes(res.status) || changed.length) {
    return `${label(e)} as ${actor.key} (origin ${origin}): expected ${status.join('/')} with nothing changed, got ${res.status}${changed.length ? `, changed ${changed.join(', ')}` : ''} ${res.text.slice(0, 200)}`;
  }
  return null;
}

test('the checked-in matrix covers exactly the console routes on disk', () => {
  const disk = consoleApiRoutes();
  const onDisk = new Set(disk.map(routeKey));
  const inMatrix = CONSOLE_ROUTE_MATRIX.map(routeKey);
  figures.routes = disk.length;
  figures.mutations = disk.filter((r) => MUTATING_METHODS.includes(r.method)).length;

  expect(disk.length).toBeGreaterThan(50); // the walk found the real tree, not an empty folder
  expect(disk.filter((r) => !inMatrix.includes(routeKey(r))).map(routeKey), 'routes on disk with no matrix entry').toEqual([]);
  expect(inMatrix.filter((k) => !onDisk.has(k)), 'matrix entries with no route on disk').toEqual([]);
  expect(inMatrix.filter((k, i) => inMatrix.indexOf(k) !== i), 'duplicate matrix entries').toEqual([]);
  for (const e of CONSOLE_ROUTE_MATRIX) {
    // every path parameter says what it names, so the isolation test can fill it
    expect(paramNames(e.pattern).sort(), `ids of ${label(e)}`).toEqual(Object.keys(e.ids ?? {}).sort());
  }
  for (const e of mutations) expect(e.anyOf.length, `${label(e)} names a permission`).toBeGreaterThan(0);
  // every page with a dynamic segment is covered by the isolation test
  for (const p of consolePages()) {
    const known = { ...(PAGE_IDS[p.pattern] ?? {}), ...(PAGE_SEGMENTS[p.pattern] ?? {}) };
    expect(paramNames(p.pattern).filter((n) => !(n in known)), `unmapped segment in page ${p.pattern}`).toEqual([]);
  }
});

test('every console mutation × every role: allowed roles succeed, the others are refused and change nothing', async () => {
  test.setTimeout(600_000);
  const problems: string[] = [];
  for (const e of mutations) {
    const allowed = allowedRoles(e);
    for (const role of ROLES) {
      const actor = kitA.user(role);
      figures.roleChecks++;
      try {
        const fx = await e.fixture(kitA, actor);
        if (allowed.includes(role)) {
          const auditBefore = await kitA.auditCount();
          const res = await kitA.call(actor, e.method, fillPattern(e.pattern, fx.params), fx.body);
          if (!is2xx(res.status)) problems.push(`${label(e)} as ${role}: allowed by ${e.anyOf.join('|')} but got ${res.status} ${res.text.slice(0, 200)}`);
          else if (e.audited && (await kitA.auditCount()) <= auditBefore) problems.push(`${label(e)} as ${role}: succeeded without an audit event`);
        } else {
          const p = await expectRefused(kitA, actor, e, fx, [403]);
          if (p) problems.push(p);
        }
      } catch (err) {
        problems.push(`${label(e)} as ${role}: fixture failed: ${(err as Error).message}`);
      }
    }
    for (const r of e.refusals ?? []) {
      for (const role of ROLES.filter(r.appliesTo)) {
        figures.roleChecks++;
        try {
          const p = await expectRefused(kitA, kitA.user(role), e, await r.fixture(kitA, kitA.user(role)), [r.status]);
          if (p) problems.push(`${p} [${r.why}]`);
        } catch (err) {
          problems.push(`${label(e)} as ${role} [${r.why}]: fixture failed: ${(err as Error).message}`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

test('CSRF: every console mutation from a foreign origin, a null origin or no origin is refused and changes nothing', async () => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  const admin = kitA.admin;
  for (const e of mutations) {
    try {
      const fx = await e.fixture(kitA, admin);
      for (const origin of ['foreign', 'null', 'none'] as const) {
        figures.csrfChecks++;
        const p = await expectCsrfRefused(e, fx, origin);
        if (p) problems.push(p);
      }
      // the same call from the console's own origin works: the refusals above were the origin check
      const res = await kitA.call(admin, e.method, fillPattern(e.pattern, fx.params), fx.body);
      if (!is2xx(res.status)) problems.push(`${label(e)}: same-origin control call failed: ${res.status} ${res.text.slice(0, 200)}`);
    } catch (err) {
      problems.push(`${label(e)}: fixture failed: ${(err as Error).message}`);
    }
  }
  expect(problems).toEqual([]);

  async function expectCsrfRefused(e: MutationEntry, fx: Fixture, origin: 'foreign' | 'null' | 'none') {
    if (origin !== 'null') return expectRefused(kitA, admin, e, fx, [403], origin);
    const before = await kitA.digest();
    const res = await admin.api.fetch(kitA.url(fillPattern(e.pattern, fx.params)), { method: e.method, headers: { origin: 'null' }, ...(fx.body === undefined ? {} : { data: fx.body }) });
    const changed = changedTables(before, await kitA.digest());
    if (changed.length) figures.refusedChanged++;
    return res.status() === 403 && !changed.length ? null : `${label(e)} (origin null): got ${res.status()}${changed.length ? `, changed ${changed.join(', ')}` : ''}`;
  }
});

test("tenant isolation, API: another tenant's ids and another tenant's slug are 404, leak nothing and change nothing", async () => {
  test.setTimeout(300_000);
  const problems: string[] = [];
  const admin = kitA.admin;

  async function probe(what: string, e: MatrixEntry, url: string, body: unknown, accept: number[]) {
    figures.tenantChecks++;
    const [beforeA, beforeB] = [await kitA.digest(), await kitB.digest()];
    const r = await admin.api.fetch(url, { method: e.method, headers: { origin: new URL(kitA.baseURL).origin }, ...(body === undefined ? {} : { data: body }), maxRedirects: 0 });
    const text = await r.text();
    const changed = [...changedTables(beforeA, await kitA.digest()).map((t) => `A.${t}`), ...changedTables(beforeB, await kitB.digest()).map((t) => `B.${t}`)];
    if (changed.length && e.method !== 'GET') figures.refusedChanged++;
    if (!accept.includes(r.status()) || text.includes(MARKER_B) || changed.length) {
      problems.push(`${label(e)} ${what}: expected ${accept.join('/')}, got ${r.status()}${text.includes(MARKER_B) ? ', LEAKED tenant B data' : ''}${changed.length ? `, changed ${changed.join(', ')}` : ''} ${text.slice(0, 160)}`);
    }
  }

  for (const e of CONSOLE_ROUTE_MATRIX) {
    const foreignIds = Object.fromEntries(Object.entries(e.ids ?? {}).map(([name, kind]) => [name, other[kind]]));
    let own: Fixture | undefined;
    try {
      // a valid body, so a 404 comes from the id and not from validation
      own = isMutation(e) ? await e.fixture(kitA, admin) : undefined;
    } catch (err) {
      problems.push(`${label(e)}: fixture failed: ${(err as Error).message}`);
      continue;
    }
    const body = own?.body;
    if (own && Object.keys(foreignIds).length > 1) {
      // one foreign id among this tenant's own (B's review item in A's campaign, B's user as owner of A's tool)
      for (const name of Object.keys(foreignIds)) {
        await probe(`with only [${name}] from tenant B`, e, kitA.url(fillPattern(e.pattern, { ...own.params, [name]: foreignIds[name]! })), body, [404]);
      }
    }
    if (e.ids) {
      await probe("with tenant B's ids under tenant A", e, kitA.url(fillPattern(e.pattern, foreignIds)), body, [404]);
      if (!isMutation(e)) {
        // control: the same ids do exist, for B's own admin
        const own = await kitB.call(kitB.admin, 'GET', fillPattern(e.pattern, foreignIds));
        if (!is2xx(own.status)) problems.push(`control: ${label(e)} for B's admin got ${own.status}`);
      }
    }
    // not a member of B: the tenant itself is not found, whatever the path
    await probe("under tenant B's slug", e, `/api/console/t/${B.slug}${fillPattern(e.pattern, foreignIds)}`, body, [404]);
    if (isMutation(e) && e.foreignBody) {
      const fx = await e.foreignBody(kitA, other);
      await probe("naming tenant B's object in the body", e, kitA.url(fillPattern(e.pattern, fx.params)), fx.body, [400, 404]);
    }
  }
  expect(problems).toEqual([]);
});

test("tenant isolation, pages: another tenant's ids and slug are 404 and render nothing of it", async () => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  const api = kitA.admin.api;
  const pages = consolePages();
  expect(pages.length).toBeGreaterThan(10);
  for (const p of pages) {
    const ids = PAGE_IDS[p.pattern];
    const values = { ...Object.fromEntries(Object.entries(ids ?? {}).map(([n, kind]) => [n, other[kind]])), ...(PAGE_SEGMENTS[p.pattern] ?? {}) };
    const urls = [`/t/${B.slug}${fillPattern(p.pattern, values)}`];
    if (ids) urls.push(`/t/${A.slug}${fillPattern(p.pattern, values)}`);
    for (const url of urls) {
      figures.tenantChecks++;
      const before = await kitB.digest();
      const res = await api.get(url, { maxRedirects: 0 });
      const html = await res.text();
      const changed = changedTables(before, await kitB.digest());
      if (res.status() !== 404 || html.includes(MARKER_B) || changed.length) {
        problems.push(`page ${url}: expected 404, got ${res.status()}${html.includes(MARKER_B) ? ', LEAKED tenant B data' : ''}${changed.length ? `, changed ${changed.join(', ')}` : ''}`);
      }
    }
  }
  // the same pages do render for B's own admin: the 404s above are the tenant check, not broken pages
  for (const [pattern, ids] of Object.entries(PAGE_IDS)) {
    const url = `/t/${B.slug}${fillPattern(pattern, Object.fromEntries(Object.entries(ids).map(([n, kind]) => [n, other[kind]])))}`;
    const res = await kitB.admin.api.get(url, { maxRedirects: 0 });
    if (res.status() !== 200) problems.push(`control: B's admin on ${url} got ${res.status()}`);
  }
  expect(problems).toEqual([]);
});
