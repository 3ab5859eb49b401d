import { SignJWT } from 'jose';
import { importDemoPrivateKey, type DemoSigningKey } from './keys';

export interface MintOptions {
  key: DemoSigningKey;
  spiffeId: string;
  audience: string;
  ttlSeconds?: number;
  issuer?: string | null;
  /** RFC 8693 delegation: the token is issued to `spiffeId` acting for this user */
  onBehalfOf?: string;
}

/** A short-lived JWT-SVID, as SPIRE would issue it, signed with the demo trust domain key. */
export async function mintJwtSvid(opts: MintOptions): Promise<string> {
  const ttl = Math.min(opts.ttlSeconds ?? 300, 3600);
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(opts.onBehalfOf ? { act: { sub: opts.spiffeId } } : {})
    .setProtectedHeader({ alg: opts.key.alg, kid: opts.key.kid, typ: 'JWT' })
    .setSubject(opts.onBehalfOf ?? opts.spiffeId)
    .setAudience(opts.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl);
  if (opts.issuer) jwt.setIssuer(opts.issuer);
  return jwt.sign(await importDemoPrivateKey(opts.key));
}
