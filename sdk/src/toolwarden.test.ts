import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { Toolwarden } from './toolwarden';
import { fakeApi, hang, json, type RecordedRequest, type Route } from './testing/fake-api';
import type { ToolwardenOptions } from './types';
import type { ServerSnapshotBody } from './local-engine';

// The client's decision logic against a stand-in API: fail closed on every kind of failure,
// answer reuse, and local mode deciding with the real engine from a served snapshot.

const AUDIENCE = 'https://billing.unit.test';
const SPIFFE = 'spiffe://unit.test/agents/billing';
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
const mint = (claims: Record<string, unknown> = {}, sub = SPIFFE, aud = AUDIENCE) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject(sub).setAudience(aud).setIssuedAt().setExpirationTime('5m').sign(privateKey);

function snapshot(over: { grants?: Partial<ServerSnapshotBody['policy']['grants'][number]>[] } = {}): ServerSnapshotBody {
  const grant = {
    id: 'gnt_read',
    agentId: 'agt_billing',
    toolId: 'tol_invoice',
    kind: 'standing' as const,
    actions: ['read' as const],
    resourcePatterns: [],
    environments: [],
    notBefore: null,
    expiresAt: null,
    maxUses: null,
    uses: 0,
    condition: null,
    delegation: 'allowed' as const,
    delegationUsers: [],
    revokedAt: null,
  };
  return {
    version: '7',
    server: { id: 'srv_billing', name: 'billing', audience: AUDIENCE, environment: 'prod' },
    policy: {
      tools: [
        { id: 'tol_invoice', serverId: 'srv_billing', name: 'get_invoice', status: 'active', risk: 'low', defaultAction: 'read' },
        { id: 'tol_refund', serverId: 'srv_billing', name: 'create_refund', status: 'active', risk: 'critical', defaultAction: 'write' },
      ],
      grants: (over.grants ?? [{}]).map((g) => ({ ...grant, ...g })),
      denyRules: [],
    },
    trustDomains: [{ id: 'tdm_1', name: 'unit.test', issuer: null, jwks: { keys: [jwk] }, jwksUrl: null, allowedAlgs: ['ES256'], maxTokenLifetimeSeconds: 3600 }],
    identities: [{ id: 'wid_1', agentId: 'agt_billing', trustDomainId: 'tdm_1', kind: 'spiffe_jwt', subject: SPIFFE, status: 'active' }],
    agents: [{ id: 'agt_billing', name: 'billing', status: 'active' }],
  };
}

const verified = { status: 'verified', reason: null, detail: null, identityId: 'wid_1', agentId: 'agt_billing', subject: SPIFFE, onBehalfOf: null };
const apiAllow = (ttl = 30) =>
  json({ decisionId: 'dec_01J00000000000000000000000', allow: true, authentication: verified, authorization: { decision: 'allow', reason: 'granted', explanation: 'ok', grantId: 'gnt_read', expiresAt: null, approval: { required: false, requestUrl: null } }, cacheTtlSeconds: ttl });

/** GET /api/v1/snapshot: the snapshot at once, then long polls that wait for `change()` */
function snapshotRoute(body: () => ServerSnapshotBody) {
  let etag = 1;
  let wake: (() => void) | null = null;
  const route: Route = async (req: RecordedRequest, signal) => {
    if (req.headers.get('if-none-match') === `"${etag}"` && req.url.searchParams.get('wait')) {
      await new Promise<void>((resolve, reject) => {
        wake = resolve;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (req.headers.get('if-none-match') === `"${etag}"`) return new Response(null, { status: 304, headers: { etag: `"${etag}"` } });
    return json(body(), 200, { etag: `"${etag}"` });
  };
  return {
    route,
    change: () => {
      etag++;
      wake?.();
    },
  };
}

const open: Toolwarden[] = [];
function make(routes: Record<string, Route>, opts: Partial<ToolwardenOptions> = {}) {
  const api = fakeApi(routes);
  const tw = new Toolwarden({ baseUrl: 'http://tw.test', serverKey: 'twk_k_s', fetch: api.fetch, backoff: { initialMs: 5, maxMs: 20 }, ...opts });
  open.push(tw);
  return { tw, api };
}
afterEach(async () => {
  for (const tw of open.splice(0)) await tw.close({ flushTimeoutMs: 100 });
});

const check = { tool: 'get_invoice', action: 'read' as const, resource: 'invoice:1', context: { arguments: { id: '1' } } };

describe('remote mode fails closed', () => {
  it('on timeout (default 1 s; here 50 ms)', async () => {
    const { tw } = make({ 'POST /api/v1/decisions': hang }, { timeoutMs: 50 });
    const started = Date.now();
    const d = await tw.check(await mint(), check);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(d).toMatchObject({ allow: false, source: 'fail_closed', reason: 'unavailable', decisionId: null });
    expect(d.explanation).toContain('50 ms');
  });

  it('on network errors, 5xx, 429, a refused server key, and bodies that are not decisions', async () => {
    const answers: Route[] = [
      () => {
        throw new TypeError('fetch failed');
      },
      () => json({ code: 'unavailable' }, 503),
      () => json({ code: 'internal' }, 500),
      () => json({ code: 'rate_limited' }, 429),
      () => json({ code: 'server_key_invalid' }, 401),
      () => new Response('<html>proxy error</html>', { status: 200 }),
      () => json({ allow: true }),
    ];
    for (const answer of answers) {
      const { tw } = make({ 'POST /api/v1/decisions': answer });
      expect(await tw.check(await mint(), check)).toMatchObject({ allow: false, source: 'fail_closed' });
    }
  });

  it('never allows when the parts of an answer disagree', async () => {
    const body = { decisionId: 'dec_x', allow: true, authentication: { ...verified, status: 'failed' }, authorization: { decision: 'allow', reason: 'granted', explanation: '', grantId: null, expiresAt: null }, cacheTtlSeconds: 60 };
    const { tw } = make({ 'POST /api/v1/decisions': () => json(body) });
    expect((await tw.check(await mint(), check)).allow).toBe(false);
    const { tw: tw2 } = make({ 'POST /api/v1/decisions': () => json({ ...body, authentication: verified, authorization: { ...body.authorization, decision: 'deny' } }) });
    expect((await tw2.check(await mint(), check)).allow).toBe(false);
  });

  it('sends the token, tool, action, resource, arguments and context as API.md says', async () => {
    const { tw, api } = make({ 'POST /api/v1/decisions': () => apiAllow() });
    const token = await mint();
    await tw.check(token, { ...check, context: { ...check.context, taskId: 't-1' } });
    expect(api.calls('POST', '/api/v1/decisions')[0]!.body).toEqual({
      subject: { token },
      tool: 'get_invoice',
      action: 'read',
      resource: 'invoice:1',
      context: { taskId: 't-1', arguments: { id: '1' } },
    });
  });
});

describe('remote mode reuses answers only while following policy changes', () => {
  it('not before start(); within cacheTtlSeconds after; never across a change', async () => {
    const snap = snapshotRoute(() => snapshot());
    const { tw, api } = make({ 'POST /api/v1/decisions': () => apiAllow(30), 'GET /api/v1/snapshot': snap.route });
    const token = await mint();
    const decisions = () => api.calls('POST', '/api/v1/decisions').length;

    await tw.check(token, check);
    await tw.check(token, check);
    expect(decisions()).toBe(2);

    await tw.start();
    await tw.check(token, check);
    expect((await tw.check(token, check)).source).toBe('cache');
    expect(decisions()).toBe(3);
    // other arguments are another question
    await tw.check(token, { ...check, context: { arguments: { id: '2' } } });
    expect(decisions()).toBe(4);

    snap.change();
    await new Promise((r) => setTimeout(r, 20));
    expect((await tw.check(token, check)).source).toBe('remote');
    expect(decisions()).toBe(5);
  });
});

describe('local mode', () => {
  it('denies everything until a snapshot arrives', async () => {
    const { tw } = make({ 'GET /api/v1/snapshot': () => json({ code: 'unavailable' }, 503) }, { mode: 'local', startTimeoutMs: 50 });
    await tw.start();
    expect(await tw.check(await mint(), check)).toMatchObject({ allow: false, source: 'fail_closed', reason: 'unavailable' });
  });

  it('decides in-process with the engine and uploads the decision log', async () => {
    const snap = snapshotRoute(() => snapshot());
    const { tw, api } = make({ 'GET /api/v1/snapshot': snap.route, 'POST /api/v1/decision-logs': () => json({}, 202) }, { mode: 'local' });
    await tw.start();
    const token = await mint();
    const allowed = await tw.check(token, check);
    expect(allowed).toMatchObject({ allow: true, source: 'local', reason: 'granted', grantId: 'gnt_read', action: 'read' });
    expect(allowed.decisionId).toMatch(/^dec_[0-9A-Z]{26}$/);
    const denied = await tw.check(token, { tool: 'create_refund', action: 'write' });
    expect(denied).toMatchObject({ allow: false, reason: 'approval_required', approvalRequired: true });
    const anonymous = await tw.check(undefined, check);
    expect(anonymous).toMatchObject({ allow: false, reason: 'not_authenticated', authentication: { status: 'failed', reason: 'token_missing' } });
    expect(api.calls('POST', '/api/v1/decisions')).toHaveLength(0);

    expect(await tw.flushDecisionLogs(2000)).toBe(true);
    const entries = api.calls('POST', '/api/v1/decision-logs').flatMap((c) => (c.body as { entries: Record<string, unknown>[] }).entries);
    expect(entries.map((e) => e.decisionId)).toEqual([allowed.decisionId, denied.decisionId, anonymous.decisionId]);
    expect(entries[0]).toMatchObject({ tool: 'get_invoice', action: 'read', resource: 'invoice:1', allow: true, reason: 'granted', agentId: 'agt_billing', identityId: 'wid_1', subject: SPIFFE, grantId: 'gnt_read' });
    expect(entries[2]).toMatchObject({ allow: false, reason: 'not_authenticated', authnReason: 'token_missing' });
    // optional fields are left out, never null (the upload schema refuses null)
    for (const e of entries) expect(Object.values(e)).not.toContain(null);
  });

  it('follows snapshot changes', async () => {
    let current = snapshot();
    const snap = snapshotRoute(() => current);
    const { tw } = make({ 'GET /api/v1/snapshot': snap.route, 'POST /api/v1/decision-logs': () => json({}, 202) }, { mode: 'local' });
    await tw.start();
    const token = await mint();
    expect((await tw.check(token, check)).allow).toBe(true);
    current = snapshot({ grants: [{ revokedAt: Date.now() }] });
    snap.change();
    await new Promise((r) => setTimeout(r, 20));
    expect(await tw.check(token, check)).toMatchObject({ allow: false, reason: 'no_grant', source: 'local' });
  });

  it('leaves N-use grants to the API, and denies when it cannot be asked', async () => {
    const snap = snapshotRoute(() => snapshot({ grants: [{ maxUses: 3 }] }));
    let apiUp = true;
    const { tw, api } = make(
      {
        'GET /api/v1/snapshot': snap.route,
        'POST /api/v1/decisions': () => (apiUp ? apiAllow(0) : json({ code: 'unavailable' }, 503)),
        'POST /api/v1/decision-logs': () => json({}, 202),
      },
      { mode: 'local' },
    );
    await tw.start();
    const token = await mint();
    expect(await tw.check(token, check)).toMatchObject({ allow: true, source: 'remote' });
    expect(api.calls('POST', '/api/v1/decisions')).toHaveLength(1);
    apiUp = false;
    expect(await tw.check(token, check)).toMatchObject({ allow: false, source: 'fail_closed' });
  });

  it('asks the API about a caller the snapshot does not know (no grant on this server)', async () => {
    const snap = snapshotRoute(() => snapshot());
    const { tw, api } = make(
      {
        'GET /api/v1/snapshot': snap.route,
        'POST /api/v1/decisions': () => json({ decisionId: 'dec_y', allow: false, authentication: { ...verified, agentId: 'agt_other' }, authorization: { decision: 'deny', reason: 'no_grant', explanation: 'no grant', grantId: null, expiresAt: null }, cacheTtlSeconds: 0 }),
      },
      { mode: 'local' },
    );
    await tw.start();
    const stranger = await mint({}, 'spiffe://unit.test/agents/other');
    expect(await tw.authenticate(stranger)).toBeNull();
    expect(await tw.check(stranger, check)).toMatchObject({ allow: false, reason: 'no_grant', source: 'remote' });
    expect(api.calls('POST', '/api/v1/decisions')).toHaveLength(1);
    // a token for another audience is known locally to fail
    expect(await tw.authenticate(await mint({}, SPIFFE, 'https://other.test'))).toMatchObject({ status: 'failed', reason: 'audience_mismatch' });
  });
});
