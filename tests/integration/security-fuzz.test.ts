// Threat: hostile input to the machine API (issue 8, input fuzzing). fast-check generates bodies,
// queries, headers and raw bytes for every machine API endpoint, sent over real HTTP to the real
// listener (fast path + Hono) on a real database. For every input:
//   - the status is never a 5xx, except a clean 503 problem+json (`unavailable`);
//   - every 4xx is problem+json with the status and a code;
//   - nothing is ever allowed: the only agent token in play belongs to an agent with no grant;
//   - a rejected request writes nothing (tools, access requests, grants, agents, deny rules,
//     decision-log rows and audit events are counted around it);
//   - Object.prototype and Array.prototype are untouched afterwards (the API runs in this process).

import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { createApiToken } from '../../lib/api-tokens/service';
import { recordProof } from '../support/proof';
import { createPolicyWorld, startApi, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld;
let idleToken: string; // a verified agent with no grant at all: any allow is a failure
let personalToken: string; // security role, for /api/v1/manage/*

let inputsTried = 0;
let fiveHundreds = 0;
let allows = 0;

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();
const ARRAY_PROTO_NAMES = Object.getOwnPropertyNames(Array.prototype).sort();

beforeAll(async () => {
  w = await createPolicyWorld('fuzz');
  api = await startApi();
  idleToken = await w.mint(w.agents.idle.spiffeId, { ttl: 3000 });
  personalToken = (await createApiToken(w.t.ctx('security'), { name: 'fuzz' })).token;
});

afterAll(async () => {
  await api?.close();
  await disconnectDb();
  recordProof('fuzz', { inputsTried, fiveHundreds, allows }, { add: true });
});

// --- what "nothing changed" means -------------------------------------------------------------

async function counts(): Promise<Record<string, number>> {
  const t = w.t.tenantId;
  const [row] = await db().$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM "Tool" WHERE "tenantId" = ${t}) AS tools,
           (SELECT count(*) FROM "AccessRequest" WHERE "tenantId" = ${t}) AS "accessRequests",
           (SELECT count(*) FROM "Grant" WHERE "tenantId" = ${t}) AS grants,
           (SELECT coalesce(sum(uses), 0) FROM "Grant" WHERE "tenantId" = ${t}) AS uses,
           (SELECT count(*) FROM "Agent" WHERE "tenantId" = ${t}) AS agents,
           (SELECT count(*) FROM "DenyRule" WHERE "tenantId" = ${t}) AS "denyRules",
           (SELECT count(*) FROM "DecisionLog" WHERE "tenantId" = ${t}) AS decisions,
           (SELECT count(*) FROM "AuditEvent" WHERE "tenantId" = ${t}) AS audit`;
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

// --- sending and judging one input --------------------------------------------------------------

interface Input {
  method: string;
  path: string;
  /** null: no Authorization header */
  auth: 'server' | 'personal' | null;
  contentType?: string | null;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
}

interface Outcome {
  status: number;
  contentType: string;
  requestId: string | null;
  text: string;
}

async function send(input: Input): Promise<Outcome> {
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  if (input.auth === 'server') headers.authorization = `Bearer ${w.key}`;
  if (input.auth === 'personal') headers.authorization = `Bearer ${personalToken}`;
  if (input.contentType !== null && input.body !== undefined) headers['content-type'] = input.contentType ?? 'application/json';
  const res = await fetch(api.url + input.path, { method: input.method, headers, body: input.body as BodyInit | undefined });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', requestId: res.headers.get('x-request-id'), text: await res.text() };
}

function anyAllow(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { allow?: unknown; authorization?: { decision?: unknown }; results?: unknown };
  if (b.allow === true || b.authorization?.decision === 'allow') return true;
  return Array.isArray(b.results) && b.results.some((r) => anyAllow(r));
}

/** judges one response; returns the parsed body */
function judge(input: Input, out: Outcome): unknown {
  inputsTried++;
  const where = `${input.method} ${input.path.slice(0, 200)} → ${out.status} ${out.text.slice(0, 300)}`;
  let body: unknown = undefined;
  try {
    body = out.text ? JSON.parse(out.text) : undefined;
  } catch {
    /* judged below */
  }
  const clean503 = out.status === 503 && out.contentType.includes('application/problem+json') && (body as { code?: string })?.code === 'unavailable';
  if (out.status >= 500 && !clean503) fiveHundreds++;
  expect(out.status < 500 || clean503, where).toBe(true);
  // The database is up throughout, so even a clean 503 would mean an input broke something (as
  // NUL and lone surrogates did: they failed the decision log's batch insert).
  expect(out.status, where).not.toBe(503);
  expect(out.requestId, where).toBeTruthy();
  if (out.status >= 400) {
    expect(out.contentType, where).toContain('application/problem+json');
    expect(body, where).toMatchObject({ type: 'about:blank', status: out.status, code: expect.any(String), requestId: out.requestId });
  }
  if (anyAllow(body)) allows++;
  expect(anyAllow(body), where).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(ARRAY_PROTO_NAMES);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  return body;
}

/** sends, judges, and for a refused input checks that nothing at all was written */
async function attempt(input: Input): Promise<Outcome> {
  const before = await counts();
  const out = await send(input);
  judge(input, out);
  if (out.status >= 400) expect(await counts(), `${input.method} ${input.path.slice(0, 200)} → ${out.status} wrote something`).toEqual(before);
  return out;
}

// --- arbitraries ---------------------------------------------------------------------------------

const nasty = fc.constantFrom(
  '',
  '\u0000',
  'get_invoice\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ufeff',
  '\u202e',
  '𝕏💥',
  '\r\n',
  '\u2028',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE "Grant"; --',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '*',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'GET_INVOICE',
  ' get_invoice',
  'get_invoice ',
  'get_invoice',
  'run_sql',
  'create_refund',
  'read',
  'admin',
  'prod',
  'a'.repeat(257),
  'a'.repeat(5000),
);
const controlChars = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const hostileString = fc.oneof({ weight: 3, arbitrary: nasty }, fc.string({ unit: 'binary', maxLength: 40 }), controlChars, fc.string({ maxLength: 20 }));
const protoKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'allow');
const { anything } = fc.letrec((tie) => ({
  anything: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1e308, -0, 2 ** 53 + 1),
    fc.array(tie('anything'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(protoKey, hostileString), tie('anything'), { maxKeys: 3 }),
  ),
}));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const oneOf = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: anything });

const subjectArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ token: '__IDLE__' }) },
  fc.record({ token: hostileString }),
  fc.record({ spiffeId: fc.oneof(hostileString, fc.constant(w0spiffe())) }),
  anything,
);
function w0spiffe() {
  return 'spiffe://fuzz.test/agents/idle';
}
const contextArb = fc.oneof(
  fc.record(
    { environment: oneOf(fc.constantFrom('prod', 'dev')), onBehalfOf: oneOf(fc.emailAddress()), taskId: oneOf(fc.string()), arguments: oneOf(fc.dictionary(fc.oneof(protoKey, fc.string()), anything, { maxKeys: 4 })) },
    { requiredKeys: [] },
  ),
  anything,
);
const checkArb = fc.record(
  {
    tool: oneOf(fc.constantFrom('get_invoice', 'update_invoice', 'create_refund', 'run_sql', 'restart_service', 'nope')),
    action: oneOf(fc.constantFrom('read', 'write', 'admin', 'export')),
    resource: oneOf(fc.string()),
    context: contextArb,
  },
  { requiredKeys: [] },
);
const decisionBodyArb = fc.tuple(checkArb, maybe(subjectArb), fc.dictionary(protoKey, anything, { maxKeys: 2 })).map(([check, subject, extra]) => ({ ...extra, ...check, ...(subject === undefined ? {} : { subject }) }));
const batchBodyArb = fc.record(
  { subject: subjectArb, checks: fc.oneof({ weight: 4, arbitrary: fc.array(checkArb as fc.Arbitrary<unknown>, { maxLength: 5 }) }, anything) },
  { requiredKeys: [] },
);
const toolsSyncArb = fc.record(
  {
    tools: fc.oneof(
      fc.array(
        fc.record(
          {
            // names that the schema refuses, so the sync as a whole must be refused
            name: fc.oneof(nasty.filter((s) => !/^[A-Za-z0-9_.:/-]+$/.test(s) || s.length > 128), anything.filter((v) => typeof v !== 'string')),
            description: oneOf(fc.string()),
            inputSchema: anything,
            annotations: anything,
          },
          { requiredKeys: ['name'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      anything.filter((v) => !Array.isArray(v)),
    ),
  },
  { requiredKeys: [] },
);
const decisionLogArb = fc.record(
  {
    entries: fc.oneof(
      fc.array(
        fc.record(
          {
            decisionId: oneOf(fc.constant('dec_01J00000000000000000000000')),
            time: oneOf(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
            tool: oneOf(fc.constant('get_invoice')),
            allow: anything,
            reason: oneOf(fc.constant('granted')),
            agentId: oneOf(fc.constant(w0spiffe())),
          },
          { requiredKeys: [] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
      anything,
    ),
  },
  { requiredKeys: [] },
);
const accessRequestArb = fc.record(
  {
    subject: subjectArb,
    tool: oneOf(fc.constantFrom('create_refund', 'get_invoice')),
    actions: oneOf(fc.subarray(['read', 'write', 'admin', 'export'])),
    resource: oneOf(fc.string()),
    durationSeconds: oneOf(fc.integer()),
    justification: oneOf(fc.string()),
    taskId: oneOf(fc.string()),
  },
  { requiredKeys: [] },
);

/** percent-encodes every UTF-8 byte (encodeURIComponent throws on lone surrogates) */
const enc = (s: string) => Array.from(Buffer.from(s, 'utf8'), (b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** JSON text for a body, with the idle agent's token filled in */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v === '__IDLE__' ? idleToken : v)) ?? 'null';
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

// --- structured fuzzing of each endpoint -----------------------------------------------------------

describe('structured hostile bodies, every endpoint', () => {
  it('POST /api/v1/decisions (fast path and router) and /decisions/batch', async () => {
    await fc.assert(
      fc.asyncProperty(decisionBodyArb, fc.boolean(), async (body, router) => {
        await attempt({ method: 'POST', path: router ? '/api/v1/decisions?r=1' : '/api/v1/decisions', auth: 'server', body: json(body) });
      }),
      { numRuns: RUNS * 2 },
    );
    await fc.assert(
      fc.asyncProperty(batchBodyArb, async (body) => {
        await attempt({ method: 'POST', path: '/api/v1/decisions/batch', auth: 'server', body: json(body) });
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /api/v1/tools/sync with invalid tools: refused whole, no tool created', async () => {
    await fc.assert(
      fc.asyncProperty(toolsSyncArb, async (body) => {
        const out = await attempt({ method: 'POST', path: '/api/v1/tools/sync', auth: 'server', body: json(body) });
        // every generated list holds a name the schema refuses (or is not a list at all)
        expect(out.status).toBe(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /api/v1/decision-logs', async () => {
    await fc.assert(
      fc.asyncProperty(decisionLogArb, async (body) => {
        await attempt({ method: 'POST', path: '/api/v1/decision-logs', auth: 'server', body: json(body) });
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /api/v1/access-requests, GET /api/v1/access-requests/{id}, POST …/{id}/complete', async () => {
    await fc.assert(
      fc.asyncProperty(accessRequestArb, async (body) => {
        await attempt({ method: 'POST', path: '/api/v1/access-requests', auth: 'server', body: json(body) });
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(hostileString, fc.oneof(fc.constant(''), hostileString.map((s) => `?wait=${enc(s.slice(0, 300))}`), fc.integer({ min: -5, max: 100 }).map((n) => `?wait=${n}`)), fc.boolean(), async (id, query, complete) => {
        const path = `/api/v1/access-requests/${enc(id.slice(0, 300))}${complete ? '/complete' : ''}${complete ? '' : query}`;
        await attempt({ method: complete ? 'POST' : 'GET', path, auth: 'server', ...(complete ? { body: '' } : {}) });
      }),
      { numRuns: RUNS },
    );
  });

  it('GET /api/v1/snapshot and /api/v1/openapi.json with hostile queries and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/snapshot', '/api/v1/openapi.json'),
        fc.oneof(fc.constant(''), hostileString.map((s) => `?wait=${enc(s.slice(0, 300))}`), fc.constantFrom('?wait=-1', '?wait=61', '?wait=1e3', '?wait=0x10', '?wait=0&wait=1', '?__proto__[x]=1')),
        fc.oneof(fc.constant(undefined), fc.string({ unit: 'grapheme-ascii', maxLength: 80 })),
        async (path, query, etag) => {
          await attempt({ method: 'GET', path: path + query, auth: 'server', headers: etag === undefined ? {} : { 'if-none-match': etag.replace(/[\r\n]/g, '') } });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('/api/v1/manage/* with a valid personal token: agents, grants, deny rules, tools', async () => {
    const toolId = w.tools.get_invoice;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          { method: 'POST', path: '/api/v1/manage/agents' },
          { method: 'POST', path: '/api/v1/manage/grants' },
          { method: 'POST', path: '/api/v1/manage/deny-rules' },
          { method: 'PATCH', path: `/api/v1/manage/tools/${toolId}` },
          { method: 'PATCH', path: `/api/v1/manage/agents/${w.agents.idle.id}` },
        ),
        fc.oneof(
          anything,
          fc.record({ name: hostileString, description: anything, agentId: oneOf(fc.constant(w.agents.idle.id)), toolId: oneOf(fc.constant(toolId)), actions: anything, risk: anything, expiresAt: anything }, { requiredKeys: [] }),
        ),
        async (route, body) => {
          await attempt({ ...route, auth: 'personal', body: json(body) });
        },
      ),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(hostileString, fc.constantFrom('agents', 'grants', 'tools', 'deny-rules', 'servers'), fc.boolean(), async (q, list, byId) => {
        // cut: a URL over node's 16 KiB header limit is refused by node:http itself (431)
        const v = enc(q.slice(0, 300));
        const path = byId ? `/api/v1/manage/${list}/${v}` : `/api/v1/manage/${list}?q=${v}&limit=${v}&cursor=${v}`;
        await attempt({ method: 'GET', path, auth: 'personal' });
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });
});

// --- raw text: malformed JSON, deep nesting, prototype keys, sizes, content types -------------------

const ENDPOINTS: { method: string; path: string; auth: Input['auth'] }[] = [
  { method: 'POST', path: '/api/v1/decisions', auth: 'server' },
  { method: 'POST', path: '/api/v1/decisions?r=1', auth: 'server' },
  { method: 'POST', path: '/api/v1/decisions/batch', auth: 'server' },
  { method: 'POST', path: '/api/v1/decision-logs', auth: 'server' },
  { method: 'POST', path: '/api/v1/tools/sync', auth: 'server' },
  { method: 'POST', path: '/api/v1/access-requests', auth: 'server' },
  { method: 'POST', path: '/api/v1/manage/agents', auth: 'personal' },
  { method: 'POST', path: '/api/v1/manage/grants', auth: 'personal' },
];
const endpointArb = fc.constantFrom(...ENDPOINTS);

const nest = (n: number, open: string, close: string, inner = '1') => open.repeat(n) + inner + close.repeat(n);
/** bodies that are valid JSON nested `n` deep at a spot each endpoint reads */
const deepBodies = (n: number) => [
  nest(n, '[', ']', ''),
  nest(n, '{"a":', '}'),
  `{"subject":{"token":"__IDLE__"},"tool":"get_invoice","context":{"arguments":{"a":${nest(n, '[', ']', '')}}}}`,
  `{"subject":{"token":"__IDLE__"},"checks":[{"tool":"get_invoice","context":{"arguments":{"a":${nest(n, '{"b":', '}')}}}}]}`,
  `{"tools":[{"name":"deep_tool","inputSchema":{"type":"object","properties":${nest(n, '{"x":', '}')}}}]}`,
  `{"tools":[{"name":"deep_tool","annotations":${nest(n, '{"x":', '}')}}]}`,
  `{"subject":{"token":"__IDLE__"},"tool":"create_refund","actions":["write"],"durationSeconds":600,"justification":${nest(n, '[', ']', '"x"')}}`,
  `{"name":"deep-agent","description":${nest(n, '[', ']', '"x"')}}`,
];

const PROTO_BODIES = [
  '{"__proto__":{"allow":true,"polluted":1},"subject":{"token":"__IDLE__"},"tool":"get_invoice"}',
  '{"constructor":{"prototype":{"polluted":1}},"subject":{"token":"__IDLE__"},"tool":"get_invoice"}',
  '{"subject":{"token":"__IDLE__","__proto__":{"spiffeId":"spiffe://x/y"}},"tool":"get_invoice","__proto__":{"action":"read"}}',
  '{"subject":{"token":"__IDLE__"},"tool":"get_invoice","context":{"arguments":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}}',
  '{"subject":{"token":"__IDLE__"},"checks":[{"tool":"get_invoice","__proto__":{"allow":true}}],"__proto__":{"checks":[]}}',
  '{"tools":[{"name":"proto_tool","__proto__":{"name":"x"},"inputSchema":{"__proto__":{"polluted":1}},"annotations":{"__proto__":{"readOnlyHint":true}}}],"__proto__":{"polluted":1}}',
  '{"entries":[{"__proto__":{"allow":true}}],"__proto__":{"entries":[]}}',
  '{"name":"proto-agent","__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":null}',
  '{"__proto__":[]}',
];

const SIZE = 64 * 1024;
const sized = (n: number, wrap: (s: string) => string) => {
  const overhead = wrap('').length;
  return wrap('a'.repeat(Math.max(0, n - overhead)));
};
const SIZE_BODIES = [
  SIZE - 1,
  SIZE,
  SIZE + 1,
  70_000,
  1_000_000,
].flatMap((n) => [
  sized(n, (s) => `{"subject":{"token":"__IDLE__"},"tool":"get_invoice","context":{"arguments":{"blob":"${s}"}}}`),
  sized(n, (s) => `{"tools":[{"name":"big_tool","description":"${s}"}]}`),
  sized(n, (s) => `{"subject":{"token":"${s}"},"tool":"get_invoice"}`),
]);
const ARRAY_BODIES = [
  json({ subject: { token: '__IDLE__' }, checks: Array.from({ length: 101 }, () => ({ tool: 'get_invoice' })) }),
  json({ subject: { token: '__IDLE__' }, checks: Array.from({ length: 5000 }, () => ({ tool: 'x' })) }),
  json({ entries: Array.from({ length: 1001 }, () => ({})) }),
  json({ tools: Array.from({ length: 1001 }, (_, i) => ({ name: `t${i}` })) }),
  json({ subject: { token: '__IDLE__' }, tool: 'get_invoice', context: { arguments: { a: Array.from({ length: 15_000 }, () => 0) } } }),
  `[${'0,'.repeat(30_000)}0]`,
];

describe('raw and oversized bodies, every endpoint with a body', () => {
  it('malformed JSON text, truncated JSON, BOM, trailing garbage and invalid UTF-8', async () => {
    const valid = json({ subject: { token: '__IDLE__' }, tool: 'get_invoice', action: 'read' });
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.integer({ min: 0, max: valid.length - 1 }).map((i) => valid.slice(0, i)),
      fc.constantFrom(`\ufeff${valid}`, `${valid}}`, `${valid},`, `${valid}\u0000`, `{"tool":"a",}`, "{'tool':'a'}", '{"tool":"a"', 'NaN', 'undefined', '{"a":1e99999}', '{"a":-}', '"\\ud800"', '{"a":"\\u0000"}', '[]', 'null', '0', '""'),
    );
    await fc.assert(
      fc.asyncProperty(endpointArb, text, async (endpoint, body) => {
        await attempt({ ...endpoint, body });
      }),
      { numRuns: RUNS * 2 },
    );
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Uint8Array.from([0x7b, ...b, 0xff, 0xfe, 0x7d]));
    await fc.assert(
      fc.asyncProperty(endpointArb, bytes, async (endpoint, body) => {
        const out = await attempt({ ...endpoint, body });
        expect(out.status).toBe(400);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('deep nesting (10 … 30,000 levels) at every position an endpoint reads', async () => {
    for (const endpoint of ENDPOINTS) {
      for (const n of [10, 40, 100, 1_000, 10_000, 30_000]) {
        for (const body of deepBodies(n)) {
          const raw = body.replaceAll('"__IDLE__"', JSON.stringify(idleToken));
          if (raw.length > SIZE) continue;
          await attempt({ ...endpoint, body: raw });
        }
      }
    }
  });

  it('__proto__ / constructor / prototype keys anywhere in a body', async () => {
    for (const endpoint of ENDPOINTS) {
      for (const body of PROTO_BODIES) {
        const out = await attempt({ ...endpoint, body: body.replaceAll('"__IDLE__"', JSON.stringify(idleToken)) });
        if (out.status < 300) {
          // accepted bodies were judged (no allow, no pollution); a tool sync must not have taken
          // the name or hints from the prototype key
          expect(await db().tool.count({ where: { tenantId: w.t.tenantId, name: 'x' } })).toBe(0);
        }
      }
    }
  });

  it('strings Postgres cannot store (NUL, lone surrogates) and deep nesting → 400 everywhere; valid pairs pass', async () => {
    const body = (value: string) => `{"subject":{"token":${JSON.stringify(idleToken)}},"tool":"get_invoice","name":"probe-agent","context":{"environment":${value}},"tools":[{"name":"probe","description":${value}}],"entries":[{"tool":${value}}]}`;
    for (const endpoint of ENDPOINTS) {
      for (const bad of ['"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"\\udfff"', '"x\\ud83dy"', '"\\ud83d\\u0041"', '"\\uDC00\\uD800"']) {
        const out = await attempt({ ...endpoint, body: body(bad) });
        expect(out.status, `${endpoint.path} ${bad}`).toBe(400);
        expect(JSON.parse(out.text).detail).toMatch(/NUL|surrogate/);
      }
      const deep = await attempt({ ...endpoint, body: `{"a":${nest(65, '[', ']', '')}}` });
      expect(deep.status).toBe(400);
      expect(JSON.parse(deep.text).detail).toMatch(/nested deeper/);
      // an escaped backslash before "u0000" is the text \u0000, not a NUL; a real pair is fine
      for (const ok of ['"\\\\u0000"', '"\\ud83d\\ude00"', '"😀"']) {
        const out = await attempt({ ...endpoint, body: body(ok) });
        expect(JSON.parse(out.text).detail ?? '', `${endpoint.path} ${ok}`).not.toMatch(/NUL|surrogate|nested/);
      }
    }
    // NUL in a URL reached Postgres as an id or filter (500 before the fix)
    for (const [path, auth] of [
      ['/api/v1/access-requests/a%00b', 'server'],
      ['/api/v1/access-requests/%00?wait=1', 'server'],
      ['/api/v1/snapshot?wait=%00', 'server'],
      ['/api/v1/manage/agents/%00', 'personal'],
      ['/api/v1/manage/grants/x%00y', 'personal'],
      ['/api/v1/manage/agents?q=%00', 'personal'],
    ] as const) {
      const out = await attempt({ method: 'GET', path, auth });
      expect(out.status, path).toBe(400);
    }
  });

  it('sizes around and over 64 KiB, and huge arrays', async () => {
    for (const endpoint of ENDPOINTS) {
      for (const body of [...SIZE_BODIES, ...ARRAY_BODIES]) {
        const raw = body.replaceAll('"__IDLE__"', JSON.stringify(idleToken));
        const out = await attempt({ ...endpoint, body: raw });
        if (Buffer.byteLength(raw) > SIZE) expect(out.status, `${endpoint.path} ${raw.length}`).toBe(413);
      }
    }
  });

  it('wrong and odd content types', async () => {
    const valid = json({ subject: { token: '__IDLE__' }, tool: 'get_invoice', action: 'read' });
    const types = fc.oneof(
      fc.constantFrom(null, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/merge-patch+json', 'application/problem+json', 'json', 'application/json; charset=latin1', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;;', '*/*', 'application/*'),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')),
    );
    await fc.assert(
      fc.asyncProperty(endpointArb, types, async (endpoint, contentType) => {
        await attempt({ ...endpoint, contentType, body: valid });
      }),
      { numRuns: RUNS },
    );
  });

  it('chunked bodies with no length, and lying Content-Length headers (raw sockets)', async () => {
    const { port } = new URL(api.url);
    const raw = (head: string, body: string | Buffer) =>
      new Promise<Outcome>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        const chunks: Buffer[] = [];
        socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
        socket.on('data', (d) => chunks.push(d));
        // a server that refuses an oversized body may close before reading it all (a reset)
        socket.on('error', () => resolve({ status: 0, contentType: '', requestId: null, text: '' }));
        socket.on('close', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const [headerPart = '', ...rest] = text.split('\r\n\r\n');
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headerPart)?.[1] ?? 0);
          const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headerPart)?.[1]?.trim() ?? null;
          let payload = rest.join('\r\n\r\n');
          if (/transfer-encoding: chunked/i.test(headerPart)) payload = payload.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '');
          resolve({ status, contentType: header('content-type') ?? '', requestId: header('x-request-id'), text: payload });
        });
        // write without half-closing: node:http aborts in-flight requests when the client sends FIN
        socket.write(Buffer.concat([Buffer.from(head), Buffer.isBuffer(body) ? body : Buffer.from(body)]));
      });
    const big = JSON.stringify({ subject: {}, tool: 'x', context: { arguments: { blob: 'a'.repeat(100_000) } } });
    const small = json({ subject: { token: '__IDLE__' }, tool: 'get_invoice' });
    const chunked = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n0\r\n\r\n`;
    for (const path of ['/api/v1/decisions', '/api/v1/decisions/batch', '/api/v1/tools/sync', '/api/v1/manage/agents']) {
      const auth = path.includes('manage') ? personalToken : w.key;
      const head = (extra: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${auth}\r\nContent-Type: application/json\r\nConnection: close\r\n${extra}\r\n`;
      const cases: [string, string | Buffer, number | null][] = [
        [head('Transfer-Encoding: chunked\r\n'), chunked(big), 413],
        [head('Transfer-Encoding: chunked\r\n'), chunked(small), null],
        [head(`Content-Length: ${SIZE + 10}\r\n`), small.padEnd(SIZE + 10, ' '), 413],
        [head('Content-Length: 99999999999\r\n'), small, 413],
        [head('Content-Length: -1\r\n'), small, 400],
        [head('Content-Length: abc\r\n'), small, 400],
        [head(`Content-Length: ${small.length}\r\nContent-Length: ${small.length + 5}\r\n`), small, 400],
      ];
      for (const [h, body, expected] of cases) {
        const before = await counts();
        const out = await raw(h, body);
        const input = { method: 'POST', path: `${path} [${h.split('\r\n').slice(4, -2).join(' | ')}]`, auth: null } as Input;
        if (out.status === 0 && expected === 413) {
          // refused mid-body: the connection was closed on a body still being sent
          inputsTried++;
        } else if (out.status === 400 && !out.contentType.includes('problem')) {
          // node:http itself refuses malformed framing before any handler runs (plain 400, no body
          // of ours): nothing reached the API, so there is nothing of ours to judge but the status
          inputsTried++;
        } else judge(input, out);
        if (expected !== null && out.status !== 0) expect(out.status, input.path).toBe(expected);
        if (out.status >= 400) expect(await counts()).toEqual(before);
      }
    }
  });
});
