import { randomBytes } from 'node:crypto';

// Prefixed, time-ordered ids (ULID body): readable in logs (agt_…, dec_…) and index-friendly.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ID_PREFIX = {
  tenant: 'ten',
  user: 'usr',
  membership: 'mem',
  agent: 'agt',
  identity: 'wid',
  trustDomain: 'tdm',
  server: 'srv',
  serverKey: 'key',
  apiToken: 'pat',
  tool: 'tol',
  toolVersion: 'tdv',
  grant: 'gnt',
  denyRule: 'dny',
  approvalPolicy: 'apl',
  request: 'req',
  approval: 'apv',
  campaign: 'rvc',
  reviewItem: 'rvi',
  webhook: 'whk',
  delivery: 'whd',
  decision: 'dec',
  audit: 'aud',
} as const;

export type IdKind = keyof typeof ID_PREFIX;

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += CROCKFORD[bytes[i] & 31];
  return out;
}

// ids are minted on the decision hot path: draw randomness 4 KiB at a time instead of one
// 16-byte syscall-backed call per id (measured at ~2 % of a decision's CPU)
let pool = Buffer.alloc(0);
let offset = 0;
function random16(): Buffer {
  if (offset + 16 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += 16;
  return pool.subarray(offset - 16, offset);
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIX[kind]}_${encodeTime(now)}${encodeRandom(random16())}`;
}

/** Random URL-safe token part, for secrets (256 bits by default). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
