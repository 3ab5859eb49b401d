// The HTTP side of MCP authorization (spec 2025-06-18): a request without a usable bearer token
// gets 401 with `WWW-Authenticate: Bearer resource_metadata="…"` (RFC 9728), which tells the
// client where the protected-resource metadata — and through it the authorization server — is.
//
// This middleware does not decide anything: Toolwarden verifies the token on every decision.
// It refuses what is certainly unusable (no token, not a JWS, expired, another audience, or a
// token Toolwarden already reported as failing authentication) and hands the token to the MCP
// transport as `req.auth`, which becomes `extra.authInfo` in the handlers protect() wraps.
// Works as Express/Connect middleware and with plain node:http (call it with a `next`).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { OAuthProtectedResourceMetadataSchema, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { decodeJwt } from 'jose';
import type { Toolwarden } from './toolwarden.js';

const CLOCK_SKEW_SECONDS = 60;
const MAX_TOKEN_LENGTH = 16 * 1024;

export type AuthenticatedRequest = IncomingMessage & { auth?: AuthInfo };
export type NextFunction = (error?: unknown) => void;

/**
 * The RFC 9728 metadata URL of an MCP endpoint: the well-known path inserted before the
 * endpoint's path (`https://h/mcp` → `https://h/.well-known/oauth-protected-resource/mcp`). Same
 * result as the MCP SDK's `getOAuthProtectedResourceMetadataUrl`, without loading its Express
 * router.
 */
export function resourceMetadataUrl(mcpUrl: string | URL): string {
  const u = new URL(String(mcpUrl));
  const path = u.pathname && u.pathname !== '/' ? u.pathname : '';
  return new URL(`/.well-known/oauth-protected-resource${path}`, u).href;
}

/** `Authorization: Bearer <token>`, or null */
export function bearerToken(req: Pick<IncomingMessage, 'headers'>): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

function quoted(value: string): string {
  // header-safe: printable ASCII only, quotes and backslashes escaped
  return value.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, (c) => `\\${c}`);
}

export interface UnauthorizedOptions {
  resourceMetadataUrl?: string;
  /** RFC 6750 error code; left out when no token was presented at all */
  error?: 'invalid_token' | 'invalid_request';
  description?: string;
}

/** Answers 401 with the RFC 6750 / RFC 9728 challenge. */
export function sendUnauthorized(res: ServerResponse, opts: UnauthorizedOptions = {}): void {
  const params: string[] = [];
  if (opts.error) params.push(`error="${opts.error}"`);
  if (opts.error && opts.description) params.push(`error_description="${quoted(opts.description)}"`);
  if (opts.resourceMetadataUrl) params.push(`resource_metadata="${quoted(opts.resourceMetadataUrl)}"`);
  const body = JSON.stringify({ error: opts.error ?? 'invalid_token', error_description: opts.description ?? 'A bearer token is required' });
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', params.length ? `Bearer ${params.join(', ')}` : 'Bearer');
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

export interface RequireBearerTokenOptions {
  /** the metadata URL for the challenge; see resourceMetadataUrl() */
  resourceMetadataUrl?: string;
  /**
   * Tokens must be issued for this audience (unverified pre-check; Toolwarden verifies). Defaults
   * to the server's audience from the Toolwarden snapshot (known after `start()`).
   */
  audience?: string;
  /** refuse tokens Toolwarden verified (local mode) or reported (remote mode) as not authenticating */
  toolwarden?: Toolwarden;
}

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : [];
}

/**
 * Express/Connect-style middleware: requires `Authorization: Bearer <JWS>`, sets `req.auth`.
 * With node:http: `requireBearerToken(opts)(req, res, () => transport.handleRequest(req, res))`.
 */
export function requireBearerToken(opts: RequireBearerTokenOptions = {}) {
  return (req: AuthenticatedRequest, res: ServerResponse, next: NextFunction): void => {
    void check(req, res, next);
  };

  async function check(req: AuthenticatedRequest, res: ServerResponse, next: NextFunction): Promise<void> {
    const challenge = (description?: string) =>
      sendUnauthorized(res, { resourceMetadataUrl: opts.resourceMetadataUrl, ...(description ? { error: 'invalid_token', description } : {}) });
    try {
      const token = bearerToken(req);
      if (token === null) return challenge();
      if (token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) return challenge('token_malformed: not a compact JWS');
      let claims: Record<string, unknown>;
      try {
        claims = decodeJwt(token) as Record<string, unknown>;
      } catch {
        return challenge('token_malformed: cannot be decoded');
      }
      const now = Math.floor(Date.now() / 1000);
      if (typeof claims.exp === 'number' && claims.exp + CLOCK_SKEW_SECONDS < now) return challenge('token_expired: the token has expired');
      const audience = opts.audience ?? opts.toolwarden?.audience ?? null;
      if (audience !== null && !audiences(claims.aud).includes(audience)) {
        return challenge(`audience_mismatch: the token is not issued for ${audience}`);
      }
      const known = opts.toolwarden ? await opts.toolwarden.authenticate(token) : null;
      if (known?.status === 'failed') return challenge(`${known.reason ?? 'not_authenticated'}: ${known.detail ?? 'the token was not accepted'}`);

      const act = claims.act;
      const actor = typeof act === 'object' && act !== null && typeof (act as Record<string, unknown>).sub === 'string' ? ((act as Record<string, unknown>).sub as string) : null;
      const clientId = typeof claims.client_id === 'string' ? claims.client_id : actor ?? (typeof claims.sub === 'string' ? claims.sub : 'unknown');
      req.auth = {
        token,
        clientId,
        scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
        ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
        // from the unverified claims: informational; Toolwarden decides on the verified token
        extra: { verifiedBy: known?.status === 'verified' ? 'toolwarden-local' : null, subject: known?.subject ?? null },
      };
      next();
    } catch (error) {
      next(error);
    }
  }
}

export interface ProtectedResourceOptions {
  /** the MCP endpoint's public URL, e.g. `https://billing.example.com/mcp` */
  mcpUrl: string | URL;
  /**
   * The resource identifier clients request tokens for (RFC 8707) — the audience registered for
   * this server in Toolwarden. Default: mcpUrl.
   */
  resource?: string;
  /** issuers of the agents' tokens (RFC 8414 metadata at each); may be empty when tokens are provisioned otherwise (SPIFFE) */
  authorizationServers: string[];
  scopesSupported?: string[];
  resourceName?: string;
  resourceDocumentation?: string;
}

export interface ProtectedResourceMetadata {
  /** the metadata document's URL (for the WWW-Authenticate challenge) */
  url: string;
  /** the path it is served at */
  path: string;
  document: OAuthProtectedResourceMetadata;
  /** Express/Connect middleware (or a node:http handler with `next`) serving the document */
  handler: (req: IncomingMessage, res: ServerResponse, next?: NextFunction) => void;
}

/**
 * The RFC 9728 protected-resource metadata of an MCP server, validated with the MCP SDK's own
 * schema, and a handler serving it at its well-known path.
 */
export function protectedResourceMetadata(opts: ProtectedResourceOptions): ProtectedResourceMetadata {
  const url = resourceMetadataUrl(opts.mcpUrl);
  const path = new URL(url).pathname;
  const document = OAuthProtectedResourceMetadataSchema.parse({
    resource: opts.resource ?? new URL(String(opts.mcpUrl)).href,
    ...(opts.authorizationServers.length ? { authorization_servers: opts.authorizationServers } : {}),
    bearer_methods_supported: ['header'],
    ...(opts.scopesSupported ? { scopes_supported: opts.scopesSupported } : {}),
    ...(opts.resourceName ? { resource_name: opts.resourceName } : {}),
    ...(opts.resourceDocumentation ? { resource_documentation: opts.resourceDocumentation } : {}),
  }) as OAuthProtectedResourceMetadata;
  const body = JSON.stringify(document);
  const handler = (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    const requestPath = new URL(req.url ?? '/', 'http://x').pathname;
    if (requestPath !== path) {
      if (next) return next();
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
      res.statusCode = 204;
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      res.setHeader('Allow', 'GET, HEAD, OPTIONS');
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return { url, path, document, handler };
}
