import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { bearerToken, protectedResourceMetadata, requireBearerToken, resourceMetadataUrl, type AuthenticatedRequest } from './http-auth';

function fakeRes() {
  const headers = new Map<string, string>();
  const res = {
    statusCode: 200,
    body: undefined as string | undefined,
    setHeader: (k: string, v: string) => headers.set(k.toLowerCase(), v),
    end: (b?: string) => {
      res.body = b;
    },
    headers,
  };
  return res;
}

function req(headers: Record<string, string> = {}, url = '/mcp', method = 'POST'): AuthenticatedRequest {
  return { headers, url, method } as unknown as AuthenticatedRequest;
}

async function run(mw: ReturnType<typeof requireBearerToken>, r: AuthenticatedRequest) {
  const res = fakeRes();
  let nexted = false;
  await new Promise<void>((resolve) => {
    mw(r, res as unknown as ServerResponse, () => {
      nexted = true;
      resolve();
    });
    const wait = () => (res.body !== undefined || nexted ? resolve() : setTimeout(wait, 1));
    wait();
  });
  return { res, nexted };
}

const { privateKey } = await generateKeyPair('ES256');
const token = (claims: Record<string, unknown>, expSecondsFromNow = 300) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expSecondsFromNow)
    .sign(privateKey);

const METADATA = 'https://mcp.example/.well-known/oauth-protected-resource/mcp';

describe('resourceMetadataUrl', () => {
  it('matches the MCP SDK’s getOAuthProtectedResourceMetadataUrl', () => {
    for (const u of ['https://mcp.example/mcp', 'https://mcp.example/', 'http://127.0.0.1:3001/mcp', 'https://h.example/a/b/mcp']) {
      expect(resourceMetadataUrl(u)).toBe(getOAuthProtectedResourceMetadataUrl(new URL(u)));
    }
  });
});

describe('bearerToken', () => {
  it('reads `Authorization: Bearer <token>` only', () => {
    expect(bearerToken({ headers: { authorization: 'Bearer abc.def.ghi' } } as IncomingMessage)).toBe('abc.def.ghi');
    expect(bearerToken({ headers: { authorization: 'bearer  abc' } } as IncomingMessage)).toBe('abc');
    expect(bearerToken({ headers: { authorization: 'Basic abc' } } as IncomingMessage)).toBeNull();
    expect(bearerToken({ headers: {} } as IncomingMessage)).toBeNull();
  });
});

describe('requireBearerToken', () => {
  const mw = requireBearerToken({ resourceMetadataUrl: METADATA, audience: 'https://billing.example' });

  it('401 with the RFC 9728 hint (and no error code) when no token is presented', async () => {
    const { res, nexted } = await run(mw, req());
    expect(nexted).toBe(false);
    expect(res.statusCode).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA}"`);
  });

  it('401 invalid_token for a token that is not a JWS, expired, or for another audience', async () => {
    for (const t of ['nonsense', await token({ aud: 'https://billing.example' }, -3600), await token({ aud: 'https://other.example' })]) {
      const { res, nexted } = await run(mw, req({ authorization: `Bearer ${t}` }));
      expect(nexted).toBe(false);
      expect(res.statusCode).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="/);
    }
  });

  it('passes a plausible token on as req.auth (the MCP transport’s authInfo)', async () => {
    const t = await token({ aud: ['https://billing.example'], client_id: 'agent-1', scope: 'mcp:tools extra' });
    const r = req({ authorization: `Bearer ${t}` });
    const { nexted } = await run(mw, r);
    expect(nexted).toBe(true);
    expect(r.auth).toMatchObject({ token: t, clientId: 'agent-1', scopes: ['mcp:tools', 'extra'] });
    expect(typeof r.auth!.expiresAt).toBe('number');
  });

  it('refuses tokens Toolwarden reports as failing authentication', async () => {
    const t = await token({ aud: 'https://billing.example', sub: 'spiffe://x/y' });
    const toolwarden = { audience: null, authenticate: async () => ({ status: 'failed', reason: 'token_signature_invalid', detail: 'bad signature' }) };
    const guarded = requireBearerToken({ resourceMetadataUrl: METADATA, toolwarden: toolwarden as never });
    const { res } = await run(guarded, req({ authorization: `Bearer ${t}` }));
    expect(res.statusCode).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('token_signature_invalid');
  });
});

describe('protectedResourceMetadata', () => {
  const meta = protectedResourceMetadata({ mcpUrl: 'https://mcp.example/mcp', resource: 'https://billing.example', authorizationServers: ['https://as.example'], resourceName: 'Billing' });

  it('is a valid RFC 9728 document at the well-known path', () => {
    expect(meta.url).toBe(METADATA);
    expect(meta.path).toBe('/.well-known/oauth-protected-resource/mcp');
    expect(meta.document).toMatchObject({ resource: 'https://billing.example', authorization_servers: ['https://as.example'], bearer_methods_supported: ['header'], resource_name: 'Billing' });
  });

  it('serves it there and passes other paths on', () => {
    const res = fakeRes();
    meta.handler(req({}, meta.path, 'GET'), res as unknown as ServerResponse);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual(meta.document);
    let nexted = false;
    meta.handler(req({}, '/mcp', 'GET'), fakeRes() as unknown as ServerResponse, () => (nexted = true));
    expect(nexted).toBe(true);
  });

  it('refuses a document the MCP SDK’s schema rejects', () => {
    expect(() => protectedResourceMetadata({ mcpUrl: 'https://mcp.example/mcp', resource: 'not a url', authorizationServers: [] })).toThrow();
  });
});
