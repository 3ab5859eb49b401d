// Threat: a caller tries to be taken for an agent (or an enforcement point) without holding its
// credentials. The base forged-token matrix lives in api-decisions.test.ts and
// lib/identity/forged-tokens.test.ts; this is the extended matrix of issue 8, over real HTTP
// against the real machine API: header-borne keys (jku/x5u/jwk/x5c) with an attacker JWKS server
// that must never be contacted, kid injection, algorithm confusion across key types, keys of
// another trust domain or tenant, audience arrays, RFC 8693 act chains, and server keys that are
// malformed, expired, revoked or of a disabled server.
//
// Every attack impersonates a "victim" agent whose grant WOULD allow the call (proved by the
// positive controls), on every endpoint that authenticates a subject: the raw fast path, the Hono
// route for the same call, the batch endpoint and agent access requests. For each we assert the
// deny AND that nothing changed: a decision-log row per decision saying not_authenticated, no grant
// use spent, no access request, no audit event.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, generateKeyPairSync, randomBytes, sign as cryptoSign, constants, KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, disconnectDb } from '../../lib/db/client';
import { newId } from '../../lib/ids';
import type { Prisma } from '../../lib/db/generated/client';
import type { AuthnReason } from '../../lib/identity';
import { createServerKey, revokeServerKey } from '../../lib/servers/keys';
import { createApiToken } from '../../lib/api-tokens/service';
import { recordProof } from '../support/proof';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';

let api: RunningApi;
let w: PolicyWorld; // tenant A: the victim's tenant
let wb: PolicyWorld; // tenant B: another tenant whose valid tokens are replayed at A

let attacksTried = 0;
let allowed = 0;

// --- keys and raw JWS ------------------------------------------------------------------------

type Alg = 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'PS256' | 'EdDSA' | 'HS256';
interface Pair {
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
  publicPem: string;
}

function pair(kind: 'P-256' | 'P-384' | 'P-521' | 'rsa' | 'ed25519'): Pair {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : kind === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: kind });
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, unknown>, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact JWS with exactly the header and payload given (node:crypto, so nothing is "fixed up"). */
function jws(alg: Alg, key: KeyObject | Buffer, header: Record<string, unknown>, payload: unknown): string {
  const input = `${b64({ alg, ...header })}.${b64(payload)}`;
  const data = Buffer.from(input);
  let sig: Buffer;
  if (alg === 'HS256') sig = createHmac('sha256', key as Buffer).update(data).digest();
  else if (alg === 'EdDSA') sig = cryptoSign(null, data, key as KeyObject);
  else if (alg === 'PS256') sig = cryptoSign('sha256', data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  else if (alg === 'RS256') sig = cryptoSign('sha256', data, key as KeyObject);
  else sig = cryptoSign({ ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }[alg], data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

// --- small HTTP servers: the attacker's key host, and the mixed trust domain's real JWKS ------

interface KeyHost {
  url: string;
  hits: string[];
  close: () => Promise<void>;
}

async function keyHost(body: () => unknown): Promise<KeyHost> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let attackerHost: KeyHost;
let legitHost: KeyHost;

// attacker-held keys
const evil = { p256: pair('P-256'), p384: pair('P-384'), p521: pair('P-521'), rsa: pair('rsa'), ed: pair('ed25519') };
// the mixed trust domain's real keys (RSA pinned to RS256, P-256 and P-384 unpinned)
const mixedKeys = { rsa: pair('rsa'), p256: pair('P-256'), p384: pair('P-384') };

interface Victim {
  agentId: string;
  spiffeId: string;
  grantId: string;
}
let victim: Victim; // in A's SPIFFE trust domain (inline JWKS, ES256)
let mixedVictim: Victim; // in A's "mixed" trust domain (JWKS URL, iss, RS256/PS256/ES256/ES384)
let mixed: { name: string; issuer: string };
let expectedUses = 0;

async function addVictim(trustDomainId: string, spiffeId: string): Promise<Victim> {
  const agent = await db().agent.create({ data: { id: newId('agent'), tenantId: w.t.tenantId, name: `victim-${randomBytes(3).toString('hex')}` } });
  await db().workloadIdentity.create({ data: { id: newId('identity'), tenantId: w.t.tenantId, agentId: agent.id, trustDomainId, kind: 'spiffe_jwt', subject: spiffeId } });
  // an N-use grant: any use an attack managed to spend would show in its counter
  const grant = await db().grant.create({ data: { id: newId('grant'), tenantId: w.t.tenantId, agentId: agent.id, toolId: w.tools.get_invoice, actions: ['read'], maxUses: 1_000_000 } });
  return { agentId: agent.id, spiffeId, grantId: grant.id };
}

const nowS = () => Math.floor(Date.now() / 1000);
/** claims of a valid SVID for the victim, for the billing server */
const svid = (extra: Record<string, unknown> = {}) => ({ sub: victim.spiffeId, aud: w.server.audience, iat: nowS(), exp: nowS() + 300, ...extra });
const mixedClaims = (extra: Record<string, unknown> = {}) => ({ iss: mixed.issuer, ...svid({ sub: mixedVictim.spiffeId }), ...extra });

beforeAll(async () => {
  w = await createPolicyWorld('atk');
  wb = await createPolicyWorld('atkb');
  attackerHost = await keyHost(() => ({ keys: [{ ...evil.p256.publicJwk, kid: 'evil' }, { ...evil.rsa.publicJwk, kid: 'evil-rsa' }] }));
  legitHost = await keyHost(() => ({
    keys: [
      { ...mixedKeys.rsa.publicJwk, kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...mixedKeys.p256.publicJwk, kid: 'ec256-1', use: 'sig' },
      { ...mixedKeys.p384.publicJwk, kid: 'ec384-1', use: 'sig' },
    ],
  }));
  mixed = { name: `mixed-${w.t.slug}.test`, issuer: `https://mixed.${w.t.slug}.test` };
  const mixedTd = await db().trustDomain.create({
    data: { id: newId('trustDomain'), tenantId: w.t.tenantId, name: mixed.name, issuer: mixed.issuer, jwksUrl: `${legitHost.url}/jwks.json`, allowedAlgs: ['RS256', 'PS256', 'ES256', 'ES384'] },
  });
  victim = await addVictim(w.trustDomain.id, `spiffe://${w.trustDomain.name}/agents/victim`);
  mixedVictim = await addVictim(mixedTd.id, `spiffe://${mixed.name}/agents/victim`);
  api = await startApi();
});

afterAll(async () => {
  await api?.close();
  await attackerHost?.close();
  await legitHost?.close();
  await disconnectDb();
  recordProof('auth-attacks', { attacksTried, allowed }, { add: true });
});

const decide = (token: unknown, path = '/api/v1/decisions', key = w.key) =>
  api.post(path, { subject: { token }, tool: 'get_invoice', action: 'read', resource: 'invoice:1' }, key);

async function tenantState() {
  const tenantId = w.t.tenantId;
  const [decisions, accessRequests, audit, grants, victimUses, mixedUses, tools] = await Promise.all([
    db().decisionLog.count({ where: { tenantId } }),
    db().accessRequest.count({ where: { tenantId } }),
    db().auditEvent.count({ where: { tenantId } }),
    db().grant.count({ where: { tenantId } }),
    db().grant.findUniqueOrThrow({ where: { id: victim.grantId } }).then((g) => g.uses),
    db().grant.findUniqueOrThrow({ where: { id: mixedVictim.grantId } }).then((g) => g.uses),
    db().tool.count({ where: { tenantId } }),
  ]);
  return { decisions, accessRequests, audit, grants, victimUses, mixedUses, tools };
}

describe('positive controls: the victims really are allowed with genuine tokens', () => {
  it('the SPIFFE victim (inline ES256 key) and the mixed-domain victim under RS256, ES256 and ES384', async () => {
    const genuine = [
      await w.mint(victim.spiffeId),
      jws('RS256', mixedKeys.rsa.privateKey, { kid: 'rsa-1', typ: 'JWT' }, mixedClaims()),
      jws('ES256', mixedKeys.p256.privateKey, { kid: 'ec256-1' }, mixedClaims()),
      jws('ES384', mixedKeys.p384.privateKey, { kid: 'ec384-1' }, mixedClaims()),
    ];
    for (const token of genuine) {
      const body = await (await decide(token)).json();
      expect(body, JSON.stringify(body.authentication)).toMatchObject({ allow: true, authentication: { status: 'verified' }, authorization: { reason: 'granted' } });
      expectedUses++;
    }
    expect(legitHost.hits.length).toBeGreaterThan(0);
  });
});

// --- the matrix --------------------------------------------------------------------------------

interface Attack {
  name: string;
  token: () => unknown;
  /** the authentication reasons API.md allows for this attack (usually exactly one) */
  reasons: AuthnReason[];
  /** a request the schema refuses before any decision (e.g. a token over 16 KiB) */
  rejectedBySchema?: boolean;
}

const attacks: Attack[] = [
  // keys smuggled in through the header: refused whatever the signature
  { name: 'jku → attacker JWKS, attacker key, attacker kid', token: () => jws('ES256', evil.p256.privateKey, { kid: 'evil', jku: `${attackerHost.url}/jwks.json` }, svid()), reasons: ['token_malformed'] },
  { name: "jku → attacker JWKS, attacker key, victim domain's kid", token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid, jku: `${attackerHost.url}/jwks.json` }, svid()), reasons: ['token_malformed'] },
  { name: 'jku on the JWKS-URL trust domain', token: () => jws('RS256', evil.rsa.privateKey, { kid: 'evil-rsa', jku: `${attackerHost.url}/jwks.json` }, mixedClaims()), reasons: ['token_malformed'] },
  { name: 'jku pointing at the real JWKS URL, attacker key', token: () => jws('ES256', evil.p256.privateKey, { kid: 'ec256-1', jku: `${legitHost.url}/jwks.json` }, mixedClaims()), reasons: ['token_malformed'] },
  { name: 'jku on an otherwise genuine token (header refused, not ignored)', token: () => jws('ES256', mixedKeys.p256.privateKey, { kid: 'ec256-1', jku: `${attackerHost.url}/jwks.json` }, mixedClaims()), reasons: ['token_malformed'] },
  { name: 'x5u → attacker certificate URL', token: () => jws('RS256', evil.rsa.privateKey, { kid: 'rsa-1', x5u: `${attackerHost.url}/cert.pem` }, mixedClaims()), reasons: ['token_malformed'] },
  { name: 'jwk: attacker public key embedded', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid, jwk: evil.p256.publicJwk }, svid()), reasons: ['token_malformed'] },
  { name: 'jwk embedded, RSA', token: () => jws('RS256', evil.rsa.privateKey, { jwk: evil.rsa.publicJwk }, mixedClaims()), reasons: ['token_malformed'] },
  { name: 'x5c: attacker certificate chain', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid, x5c: ['MIIBszCCAVmgAwIBAgIUaaaa'] }, svid()), reasons: ['token_malformed'] },
  { name: 'crit header extension', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid, crit: ['exp'] }, svid()), reasons: ['token_malformed'] },
  { name: 'b64: false (unencoded payload)', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid, b64: false, crit: ['b64'] }, svid()), reasons: ['token_malformed'] },

  // kid injection: the kid is compared, never interpreted
  { name: 'kid ../../etc/passwd', token: () => jws('ES256', evil.p256.privateKey, { kid: '../../etc/passwd' }, svid()), reasons: ['token_signature_invalid'] },
  { name: "kid ' OR 1=1 --", token: () => jws('ES256', evil.p256.privateKey, { kid: "' OR 1=1 --" }, svid()), reasons: ['token_signature_invalid'] },
  { name: 'kid SQL on the JWKS-URL domain', token: () => jws('ES256', evil.p256.privateKey, { kid: `ec256-1' OR '1'='1` }, mixedClaims()), reasons: ['token_signature_invalid'] },
  { name: 'kid "; DROP TABLE', token: () => jws('ES256', evil.p256.privateKey, { kid: `"; DROP TABLE "TrustDomain"; --` }, svid()), reasons: ['token_signature_invalid'] },
  { name: 'kid = attacker JWKS URL', token: () => jws('ES256', evil.p256.privateKey, { kid: `${attackerHost.url}/jwks.json` }, mixedClaims()), reasons: ['token_signature_invalid'] },
  { name: 'kid with NUL, attacker key', token: () => jws('ES256', evil.p256.privateKey, { kid: `${w.kid}\u0000` }, svid()), reasons: ['token_signature_invalid'] },
  { name: 'kid with NUL, genuine key of the JWKS-URL domain', token: () => jws('ES256', mixedKeys.p256.privateKey, { kid: 'ec256-1\u0000' }, mixedClaims()), reasons: ['token_signature_invalid'] },
  { name: 'kid 300 characters', token: () => jws('ES256', evil.p256.privateKey, { kid: 'k'.repeat(300) }, svid()), reasons: ['token_malformed'] },
  { name: 'kid 10,000 characters', token: () => jws('ES256', evil.p256.privateKey, { kid: 'k'.repeat(10_000) }, svid()), reasons: ['token_malformed'] },
  { name: 'kid empty', token: () => jws('ES256', evil.p256.privateKey, { kid: '' }, svid()), reasons: ['token_malformed'] },
  { name: 'kid an object ({"$ne": null})', token: () => jws('ES256', evil.p256.privateKey, { kid: { $ne: null } }, svid()), reasons: ['token_malformed'] },
  { name: 'kid a number', token: () => jws('ES256', evil.p256.privateKey, { kid: 1 }, svid()), reasons: ['token_malformed'] },

  // algorithm confusion across key types (the mixed domain publishes RSA, P-256 and P-384 keys)
  { name: 'RS256 naming the P-256 key', token: () => jws('RS256', evil.rsa.privateKey, { kid: 'ec256-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'ES256 naming the RSA key', token: () => jws('ES256', evil.p256.privateKey, { kid: 'rsa-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'PS256 naming the RSA key pinned to RS256', token: () => jws('PS256', evil.rsa.privateKey, { kid: 'rsa-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'PS256 with the genuine RSA key, pinned to RS256', token: () => jws('PS256', mixedKeys.rsa.privateKey, { kid: 'rsa-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'ES384 naming the P-256 key', token: () => jws('ES384', evil.p384.privateKey, { kid: 'ec256-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'ES256 naming the P-384 key', token: () => jws('ES256', evil.p256.privateKey, { kid: 'ec384-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'ES256 signed with the genuine P-384 key (curve mismatch)', token: () => jws('ES256', mixedKeys.p384.privateKey, { kid: 'ec384-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'ES512, not in the allowlist', token: () => jws('ES512', evil.p521.privateKey, { kid: 'ec256-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'EdDSA naming the P-256 key', token: () => jws('EdDSA', evil.ed.privateKey, { kid: 'ec256-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'RS256 on the ES256-only domain', token: () => jws('RS256', evil.rsa.privateKey, { kid: w.kid }, svid()), reasons: ['algorithm_not_allowed'] },
  { name: 'HS256 keyed with the RSA public key PEM', token: () => jws('HS256', Buffer.from(mixedKeys.rsa.publicPem), { kid: 'rsa-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'HS256 keyed with the P-256 public JWK JSON', token: () => jws('HS256', Buffer.from(JSON.stringify({ ...mixedKeys.p256.publicJwk, kid: 'ec256-1', use: 'sig' })), { kid: 'ec256-1' }, mixedClaims()), reasons: ['algorithm_not_allowed'] },
  { name: 'alg none', token: () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(svid())}.`, reasons: ['algorithm_not_allowed'] },
  { name: 'alg "ES256 " (trailing space)', token: () => jws('ES256', evil.p256.privateKey, { alg: 'ES256 ', kid: w.kid }, svid()), reasons: ['algorithm_not_allowed'] },

  // keys of another trust domain of the same tenant
  { name: "mixed-domain claims signed with the SPIFFE domain's real key and kid", token: () => genuine(mixedClaims()), reasons: ['token_signature_invalid'] },
  { name: "SPIFFE-domain victim signed with the mixed domain's genuine key and kid", token: () => jws('ES256', mixedKeys.p256.privateKey, { kid: 'ec256-1' }, svid()), reasons: ['token_signature_invalid'] },
  { name: "SPIFFE-domain victim signed with the mixed domain's genuine key, victim kid", token: () => jws('ES256', mixedKeys.p256.privateKey, { kid: w.kid }, svid()), reasons: ['token_signature_invalid'] },
  { name: "the mixed issuer minting for the SPIFFE domain's victim", token: () => jws('ES256', mixedKeys.p256.privateKey, { kid: 'ec256-1' }, svid({ iss: mixed.issuer })), reasons: ['issuer_unknown'] },

  // replay of another tenant's valid tokens
  { name: "tenant B's valid token, for B's server", token: () => wb.mint(wb.agents.support.spiffeId), reasons: ['issuer_unknown'] },
  { name: "tenant B's valid token minted for A's audience", token: () => wb.mint(wb.agents.support.spiffeId, { audience: w.server.audience }), reasons: ['issuer_unknown'] },
  { name: "tenant B's key signing A's victim, B's kid", token: async () => signWithB(svid(), wb.kid), reasons: ['token_signature_invalid'] },
  { name: "tenant B's key signing A's victim, A's kid", token: async () => signWithB(svid(), w.kid), reasons: ['token_signature_invalid'] },
  { name: "tenant B's key delegating to A's victim (act)", token: async () => signWithB(svid({ sub: 'alice@example.test', act: { sub: victim.spiffeId } }), w.kid), reasons: ['token_signature_invalid'] },
  { name: "A's issuer key naming B's agent as actor", token: () => w.mint('alice@example.test', { claims: { act: { sub: wb.agents.support.spiffeId } } }), reasons: ['issuer_unknown'] },

  // audience
  { name: 'aud ["wrong", audience + "/"]', token: () => w.mint(victim.spiffeId, { audience: ['wrong', `${w.server.audience}/`] }), reasons: ['audience_mismatch'] },
  { name: 'aud []', token: () => w.mint(victim.spiffeId, { audience: [] }), reasons: ['audience_mismatch'] },
  { name: "aud of the tenant's other server", token: () => w.mint(victim.spiffeId, { audience: w.otherServer.audience }), reasons: ['audience_mismatch'] },
  { name: 'aud upper-cased', token: () => w.mint(victim.spiffeId, { audience: w.server.audience.toUpperCase() }), reasons: ['audience_mismatch'] },
  { name: 'aud nested array', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid }, svid({ aud: [[w.server.audience]] })), reasons: ['token_signature_invalid'] },
  { name: 'aud nested array, genuine key', token: () => genuine(svid({ aud: [[w.server.audience]] })), reasons: ['audience_mismatch'] },
  { name: 'aud object, genuine key', token: () => genuine(svid({ aud: { 0: w.server.audience } })), reasons: ['audience_mismatch'] },
  { name: 'no aud, genuine key', token: () => genuine(svid({ aud: undefined })), reasons: ['audience_mismatch'] },

  // RFC 8693 act chains: only the outermost actor is the caller
  { name: 'act chain: unknown outer actor, victim nested below', token: () => w.mint('alice@example.test', { claims: { act: { sub: `spiffe://${w.trustDomain.name}/agents/nobody`, act: { sub: victim.spiffeId } } } }), reasons: ['identity_unknown'] },
  { name: 'act chain 3 deep, victim innermost', token: () => w.mint('alice@example.test', { claims: { act: { sub: `spiffe://${w.trustDomain.name}/agents/a`, act: { sub: `spiffe://${w.trustDomain.name}/agents/b`, act: { sub: victim.spiffeId } } } } }), reasons: ['identity_unknown'] },
  { name: 'act chain 200 deep, victim innermost', token: () => w.mint('alice@example.test', { claims: { act: nestAct(200, victim.spiffeId, `spiffe://${w.trustDomain.name}/agents/nobody`) } }), reasons: ['identity_unknown'] },
    // An act claim that names no usable actor leaves only the user's sub to find the issuer by:
  // without iss that is issuer_unknown (no trust domain vouches for "alice"); with the victim as
  // sub the claim itself is malformed. Either way authentication fails before any grant.
  { name: 'act without sub, victim nested', token: () => w.mint('alice@example.test', { claims: { act: { act: { sub: victim.spiffeId } } } }), reasons: ['issuer_unknown'] },
  { name: 'act a string', token: () => w.mint('alice@example.test', { claims: { act: victim.spiffeId } }), reasons: ['issuer_unknown'] },
  { name: 'act an array', token: () => w.mint('alice@example.test', { claims: { act: [{ sub: victim.spiffeId }] } }), reasons: ['issuer_unknown'] },
  { name: 'act null', token: () => w.mint(victim.spiffeId, { claims: { act: null } }), reasons: ['token_malformed'] },
  { name: 'act a string, victim as sub', token: () => w.mint(victim.spiffeId, { claims: { act: 'spiffe://x/y' } }), reasons: ['token_malformed'] },
  { name: 'act.sub a number', token: () => w.mint('alice@example.test', { claims: { act: { sub: 42 } } }), reasons: ['issuer_unknown'] },
  { name: 'act.sub a number, victim as sub', token: () => w.mint(victim.spiffeId, { claims: { act: { sub: 42 } } }), reasons: ['token_malformed'] },
  { name: 'act.sub empty, victim as sub', token: () => w.mint(victim.spiffeId, { claims: { act: { sub: '' } } }), reasons: ['issuer_unknown'] },
  { name: 'act.sub an object, victim as sub', token: () => w.mint(victim.spiffeId, { claims: { act: { sub: { sub: victim.spiffeId } } } }), reasons: ['token_malformed'] },
  { name: 'act on a token without sub', token: () => genuine(svid({ sub: undefined, act: { sub: victim.spiffeId } })), reasons: ['token_malformed'] },

  // claims and structure
  { name: 'exp as a string', token: () => genuine(svid({ exp: String(nowS() + 300) })), reasons: ['token_malformed'] },
  { name: 'exp 1e300', token: () => genuine(svid({ exp: 1e300 })), reasons: ['token_lifetime_too_long'] },
  { name: 'no iat, exp a year away', token: () => genuine(svid({ iat: undefined, exp: nowS() + 365 * 86_400 })), reasons: ['token_lifetime_too_long'] },
  { name: 'sub with a different case', token: () => w.mint(victim.spiffeId.replace('/agents/victim', '/agents/VICTIM')), reasons: ['identity_unknown'] },
  { name: 'sub with a trailing slash', token: () => w.mint(`${victim.spiffeId}/`), reasons: ['token_malformed', 'identity_unknown'] },
  { name: 'sub with a NUL', token: () => w.mint(`${victim.spiffeId}\u0000`), reasons: ['token_malformed', 'identity_unknown'] },
  { name: 'empty token', token: () => '', reasons: ['token_missing'] },
  { name: 'two segments', token: () => `${b64({ alg: 'ES256' })}.${b64(svid())}`, reasons: ['token_malformed'] },
  { name: 'five segments (JWE shape)', token: () => `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`, reasons: ['token_malformed'] },
  { name: 'header not JSON', token: () => `${b64('not json')}.${b64(svid())}.AAAA`, reasons: ['token_malformed'] },
  { name: 'payload not an object', token: () => jws('ES256', evil.p256.privateKey, { kid: w.kid }, [svid()]), reasons: ['token_malformed'] },
  { name: 'signature stripped', token: async () => (await w.mint(victim.spiffeId)).split('.').slice(0, 2).join('.') + '.', reasons: ['token_signature_invalid', 'token_malformed'] },
  { name: 'genuine signature over another payload', token: async () => { const [h, , s] = (await w.mint(w.agents.idle.spiffeId)).split('.'); return `${h}.${b64(svid())}.${s}`; }, reasons: ['token_signature_invalid'] },
  { name: 'token of another type (number)', token: () => 12345, reasons: [], rejectedBySchema: true },
  { name: 'token over 16 KiB', token: () => 'a'.repeat(16_385), reasons: [], rejectedBySchema: true },
];

/** signed with tenant B's genuine trust-domain key */
const signWithB = (claims: Record<string, unknown>, kid: string) => jws('ES256', KeyObject.from(wb.signingKey), { kid }, claims);
/** signed with A's genuine SPIFFE-domain key, claims exactly as given (w.mint sets aud/iat/exp itself) */
const genuine = (claims: Record<string, unknown>, kid = w.kid) => jws('ES256', KeyObject.from(w.signingKey), { kid, typ: 'JWT' }, claims);

function nestAct(depth: number, innermost: string, outer: string): Record<string, unknown> {
  let act: Record<string, unknown> = { sub: innermost };
  for (let i = 1; i < depth; i++) act = { sub: i === depth - 1 ? outer : `spiffe://${w.trustDomain.name}/h${i}`, act };
  return act;
}

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('x-request-id')).toBeTruthy();
  const body = await res.json();
  expect(body).toMatchObject({ type: 'about:blank', status, code });
  return body;
}

describe('forged and replayed agent tokens: never an allow, always logged, nothing changed', () => {
  let before: Awaited<ReturnType<typeof tenantState>>;
  beforeAll(async () => {
    before = await tenantState();
  });

  it.each(attacks.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const token = await attack.token();
    const startState = await tenantState();
    const decisionIds: string[] = [];
    let decisionsExpected = 0;

    // the fast path and the Hono route for the same call (a query string leaves the fast path)
    for (const path of ['/api/v1/decisions', '/api/v1/decisions?via=router']) {
      attacksTried++;
      const res = await decide(token, path);
      if (attack.rejectedBySchema) {
        await expectProblem(res, 400, 'invalid_request');
        continue;
      }
      expect(res.status).toBe(200);
      const body = await res.json();
      if (body.allow !== false) allowed++;
      expect(body.allow).toBe(false);
      expect(attack.reasons, `got ${body.authentication.reason}: ${body.authentication.detail}`).toContain(body.authentication.reason);
      expect(body.authentication).toMatchObject({ status: 'failed', identityId: null, agentId: null, onBehalfOf: null });
      expect(body.authorization).toMatchObject({ decision: 'deny', reason: 'not_authenticated', grantId: null, expiresAt: null });
      expect(body.cacheTtlSeconds).toBe(0);
      decisionIds.push(body.decisionId);
      decisionsExpected++;
    }

    attacksTried++;
    const batch = await api.post('/api/v1/decisions/batch', { subject: { token }, checks: [{ tool: 'get_invoice', action: 'read' }, { tool: 'update_invoice', action: 'write', resource: 'invoice:1' }] }, w.key);
    if (attack.rejectedBySchema) await expectProblem(batch, 400, 'invalid_request');
    else {
      expect(batch.status).toBe(200);
      const body = await batch.json();
      expect(attack.reasons).toContain(body.authentication.reason);
      expect(body.authentication).toMatchObject({ status: 'failed', agentId: null });
      for (const r of body.results) {
        if (r.allow !== false) allowed++;
        expect(r).toMatchObject({ allow: false, authorization: { reason: 'not_authenticated', grantId: null } });
        decisionIds.push(r.decisionId);
      }
      decisionsExpected += 2;
    }

    // an access request filed under a forged identity is refused before anything is written
    attacksTried++;
    const ar = await api.post('/api/v1/access-requests', { subject: { token }, tool: 'create_refund', actions: ['write'], durationSeconds: 600, justification: 'forged escalation attempt' }, w.key);
    await expectProblem(ar, attack.rejectedBySchema ? 400 : 403, attack.rejectedBySchema ? 'invalid_request' : 'forbidden');

    // each decision is in the log as a failed authentication, and nothing else changed
    const rows = await db().decisionLog.findMany({ where: { id: { in: decisionIds } } });
    expect(rows).toHaveLength(decisionIds.length);
    for (const row of rows) {
      expect(row).toMatchObject({ allow: false, reason: 'not_authenticated', agentId: null, identityId: null, grantId: null });
      expect(attack.reasons).toContain(row.authnReason);
    }
    expect(await tenantState()).toEqual({ ...startState, decisions: startState.decisions + decisionsExpected });
  });

  it('the attacker’s key host was never contacted; only the configured JWKS URL was fetched', () => {
    expect(attackerHost.hits).toEqual([]);
    expect(new Set(legitHost.hits)).toEqual(new Set(['/jwks.json']));
  });

  it('no grant use was spent and no access request, grant or audit event was created', async () => {
    const after = await tenantState();
    expect(after).toMatchObject({ accessRequests: before.accessRequests, audit: before.audit, grants: before.grants, tools: before.tools });
    expect(after.victimUses + after.mixedUses).toBe(expectedUses);
  });
});

describe('audience arrays (policy, not an attack)', () => {
  // RFC 7519 §4.1.3 and RFC 9068 §4: a resource server accepts a token whose `aud` CONTAINS its
  // identifier, wherever it appears in the array; DESIGN.md step 3 says the same. The issuer chose
  // to address the token to several audiences, so a wrong first member is not a forgery. What
  // must not pass is an array that only resembles ours (see the matrix above).
  it.each([
    ['["wrong", ours]', () => ['https://wrong.example', w.server.audience]],
    ['[ours, "other"]', () => [w.server.audience, 'https://other.example']],
  ])('%s is accepted: the audience is contained', async (_label, aud) => {
    const token = await w.mint(victim.spiffeId, { audience: aud() });
    const body = await (await decide(token)).json();
    expect(body).toMatchObject({ allow: true, authentication: { status: 'verified', agentId: victim.agentId } });
    expectedUses++;
    expect((await db().grant.findUniqueOrThrow({ where: { id: victim.grantId } })).uses + (await db().grant.findUniqueOrThrow({ where: { id: mixedVictim.grantId } })).uses).toBe(expectedUses);
  });
});

describe('server keys: malformed, swapped, expired, revoked, of a disabled server', () => {
  // every endpoint that takes a server key, with a request that would otherwise succeed
  const endpoints = (token: string) => [
    { name: 'decisions (fast path)', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, key, h) },
    { name: 'decisions (router)', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/decisions?via=router', { subject: { token }, tool: 'get_invoice', action: 'read' }, key, h) },
    { name: 'decisions/batch', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/decisions/batch', { subject: { token }, checks: [{ tool: 'get_invoice', action: 'read' }] }, key, h) },
    { name: 'snapshot', call: (key: string | null, h?: Record<string, string>) => api.get('/api/v1/snapshot', key, h) },
    { name: 'tools/sync', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/tools/sync', { tools: [{ name: 'planted_tool', description: 'should never be created' }] }, key, h) },
    { name: 'access-requests', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/access-requests', { subject: { token }, tool: 'create_refund', actions: ['write'], durationSeconds: 600, justification: 'key attack escalation' }, key, h) },
    { name: 'access-requests/{id}', call: (key: string | null, h?: Record<string, string>) => api.get('/api/v1/access-requests/areq_doesnotmatter', key, h) },
    { name: 'decision-logs', call: (key: string | null, h?: Record<string, string>) => api.post('/api/v1/decision-logs', { entries: [{ decisionId: `dec_${'0'.repeat(26)}`, time: new Date().toISOString(), tool: 'get_invoice', allow: true, reason: 'granted', agentId: victim.agentId }] }, key, h) },
  ];

  async function expectAllRefused(key: string | null, headers?: Record<string, string>) {
    const token = await w.mint(victim.spiffeId);
    const start = await tenantState();
    for (const e of endpoints(token)) {
      attacksTried++;
      const res = await e.call(key, headers);
      if (res.status === 200 || res.status === 201 || res.status === 202) allowed++;
      expect(res.status, `${e.name}: ${res.status}`).toBe(401);
      const body = await expectProblem(res, 401, 'server_key_invalid');
      expect(body.detail, e.name).not.toMatch(/twk_|secret|hash/i);
    }
    expect(await tenantState()).toEqual(start);
    expect(await db().tool.count({ where: { name: 'planted_tool' } })).toBe(0);
  }

  it('malformed and swapped keys → 401 on every endpoint, nothing written', async () => {
    const [, aId, aSecret] = /^twk_([^_]+)_(.+)$/.exec(w.key)!;
    const [, bId, bSecret] = /^twk_([^_]+)_(.+)$/.exec(wb.key)!;
    const personal = (await createApiToken(w.t.ctx('admin'), { name: 'not-a-server-key' })).token;
    const keys: (string | null)[] = [
      null,
      'twk_',
      'twk__',
      `twk_${aId}_`,
      `twk_${aId}`,
      `twk_${aId}_${aSecret.slice(0, -1)}`,
      `twk_${aId}_${aSecret}x`,
      `twk_${aId}_${aSecret.slice(0, -1)}${aSecret.endsWith('A') ? 'B' : 'A'}`,
      `TWK_${aId}_${aSecret}`,
      `twk_${aId.toUpperCase()}_${aSecret}`,
      `twk_${aId}_${bSecret}`,
      `twk_${bId}_${aSecret}`,
      `twk_' OR '1'='1_${aSecret}`,
      `twk_${aId}' OR '1'='1_${aSecret}`,
      `twk_../../etc/passwd_${aSecret}`,
      `twk_${aId}_${aSecret}_${aSecret}`,
      `twk_${'a'.repeat(41)}_${aSecret}`,
      `twk_${aId}_${'s'.repeat(101)}`,
      `twk_${aId}_${aSecret}`.replace('_', '\u00a0'),
      `twk_${'0'.repeat(24)}_${aSecret}`,
      personal,
      'x'.repeat(8000),
    ];
    for (const key of keys) await expectAllRefused(key);
  });

  it('Authorization headers that are not exactly "Bearer <key>" → 401', async () => {
    const variants = [`Basic ${Buffer.from(`x:${w.key}`).toString('base64')}`, `Token ${w.key}`, w.key, `Bearer ${w.key} ${w.key}`, `Bearer ${w.key}, Bearer ${w.key}`, 'Bearer', `Bearer "${w.key}"`];
    for (const authorization of variants) await expectAllRefused(null, { authorization });
  });

  it('an expired key → 401, including a key that expires while cached', async () => {
    const expired = await createServerKey(w.t.ctx('admin'), w.server.id, { name: 'expired' });
    await db().serverKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await within(1000, async () => (await api.get('/api/v1/snapshot', expired.key)).status === 401);
    await expectAllRefused(expired.key);

    const expiring = await createServerKey(w.t.ctx('admin'), w.server.id, { name: 'expiring' });
    const expiresAt = Date.now() + 1500;
    await db().serverKey.update({ where: { id: expiring.id }, data: { expiresAt: new Date(expiresAt) } });
    const token = await w.mint(victim.spiffeId);
    // still valid, and cached with its expiry
    await within(1000, async () => (await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, expiring.key)).json()).allow === true);
    expectedUses++;
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 20));
    // no cache invalidation happens at expiry: the cached key's own expiry must be checked
    await expectAllRefused(expiring.key);
  });

  it('a revoked key → 401 on every endpoint within a second of the revocation', async () => {
    const k = await createServerKey(w.t.ctx('admin'), w.server.id, { name: 'to-revoke' });
    const token = await w.mint(victim.spiffeId);
    const ok = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, k.key)).json();
    expect(ok.allow).toBe(true);
    expectedUses++;
    await revokeServerKey(w.t.ctx('admin'), k.id);
    const ms = await within(1000, async () => {
      const res = await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, k.key);
      // calls that land before the revocation reaches this process are genuine, and spend a use
      if (res.status === 200 && (await res.json()).allow === true) expectedUses++;
      return res.status === 401;
    });
    expect(ms).toBeLessThan(1000);
    attacksTried++;
    await expectAllRefused(k.key);
    recordProof('auth-attacks', { revokedServerKeyRefusedWithinMs: ms });
  });

  it("a disabled server's key → 401", async () => {
    const server = await db().mcpServer.create({ data: { id: newId('server'), tenantId: w.t.tenantId, name: 'soon-disabled', audience: w.server.audience + '/soon', environment: 'prod' } });
    const k = await createServerKey(w.t.ctx('admin'), server.id, { name: 'k' });
    expect((await api.get('/api/v1/snapshot', k.key)).status).toBe(200);
    await db().mcpServer.update({ where: { id: server.id }, data: { status: 'disabled' } });
    await within(1000, async () => (await api.get('/api/v1/snapshot', k.key)).status === 401);
    await expectAllRefused(k.key);
  });

  it("another tenant's key cannot reach this tenant's agents or tools", async () => {
    const token = await w.mint(victim.spiffeId, { audience: wb.server.audience });
    const start = await tenantState();
    attacksTried++;
    const body = await (await api.post('/api/v1/decisions', { subject: { token }, tool: 'get_invoice', action: 'read' }, wb.key)).json();
    if (body.allow !== false) allowed++;
    // B has no trust domain for A's SPIFFE domain: A's genuine token means nothing there
    expect(body).toMatchObject({ allow: false, authentication: { status: 'failed', reason: 'issuer_unknown' } });
    expect(await tenantState()).toEqual(start);
  });

  it('the victim’s uses still match the genuine calls exactly', async () => {
    const after = await tenantState();
    expect(after.victimUses + after.mixedUses).toBe(expectedUses);
  });
});
