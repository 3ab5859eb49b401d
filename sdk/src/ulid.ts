// Decision ids for locally made decisions: `dec_` + a 26-character ULID (Crockford base32,
// 48-bit millisecond time then 80 random bits), the format the API mints and the decision-log
// upload requires. Time-ordered, so the log's index stays append-friendly.

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const DECISION_ID_PATTERN = /^dec_[0-9A-HJKMNP-TV-Z]{26}$/;

function encodeTime(ms: number): string {
  let out = '';
  let rest = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

// ids are minted per local decision: draw randomness 4 KiB at a time, not one call per id
let pool = new Uint8Array(0);
let offset = 0;

export function ulid(now: number = Date.now()): string {
  if (offset + 16 > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(4096));
    offset = 0;
  }
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[pool[offset + i]! & 31];
  offset += 16;
  return encodeTime(now) + random;
}

export function newDecisionId(now: number = Date.now()): string {
  return `dec_${ulid(now)}`;
}

/** the millisecond time encoded in a ULID (for tests and ordering checks) */
export function ulidTime(id: string): number {
  const body = id.startsWith('dec_') ? id.slice(4) : id;
  let ms = 0;
  for (const ch of body.slice(0, 10)) ms = ms * 32 + CROCKFORD.indexOf(ch);
  return ms;
}
