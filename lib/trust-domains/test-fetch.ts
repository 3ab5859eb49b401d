import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { invalid } from '../errors';
import { createKeyResolver, KeyResolutionError } from '../identity';
import { checkJwksUrl } from '../identity/fetch-jwks';
import { parseInput } from '../validation';
import { testJwksUrlSchema } from './schemas';

export interface FetchedKey {
  kid: string | null;
  kty: string;
  crv: string | null;
  /** the allowed algorithms this key would verify */
  algs: string[];
}

export type JwksTestResult = { ok: true; keys: FetchedKey[]; skipped: string[] } | { ok: false; message: string };

/**
 * "Test fetch" for a JWKS URL, through the same fetch and import path the verifier uses (https
 * only except loopback, no redirects, bounded size and time). A fresh resolver each time, so the
 * answer is what the issuer serves now, not a cached copy. Reads nothing from the database and
 * changes nothing, so it is not audited; admin only, because it makes the server fetch a URL.
 */
export async function testJwksUrl(ctx: ServiceContext, input: unknown, opts: { fetch?: typeof fetch } = {}): Promise<JwksTestResult> {
  requirePermission(ctx, 'trust_domains.manage');
  const data = parseInput(testJwksUrlSchema, input);
  try {
    checkJwksUrl(data.jwksUrl);
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'not an acceptable URL';
    throw invalid(reason, [{ name: 'jwksUrl', reason }]);
  }
  const resolver = createKeyResolver({ fetch: opts.fetch });
  try {
    const set = await resolver.getKeys({
      id: 'jwks-test',
      name: 'jwks-test',
      issuer: null,
      jwks: null,
      jwksUrl: data.jwksUrl,
      allowedAlgs: data.allowedAlgs,
      maxTokenLifetimeSeconds: 3600,
    });
    const keys = set.keys.map((k) => ({ kid: k.kid, kty: k.kty, crv: k.crv, algs: [...k.byAlg.keys()] }));
    if (keys.length === 0) return { ok: false, message: `No usable key under the allowed algorithms${set.skipped.length ? `: ${set.skipped.join('; ')}` : ''}` };
    return { ok: true, keys, skipped: [...set.skipped] };
  } catch (err) {
    if (err instanceof KeyResolutionError) return { ok: false, message: err.message };
    throw err;
  }
}
