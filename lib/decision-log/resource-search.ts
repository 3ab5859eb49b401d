import { db } from '../db/client';

// Free-text resource search ("contains", case-insensitive) is answered by the trigram index
// "DecisionLog_resource_trgm_idx". The index returns the rows holding every trigram of the text,
// and its cost is set by the most common trigrams: "invoice:4242" in a log where nine rows in
// ten are "invoice:…" walks the whole posting lists of "inv", "nvo", "voi", … only to confirm
// what the rare trigrams ("424", "242") had already narrowed down (at 5,000,000 rows: 8,930
// index pages read instead of 1,453). So the index is asked for the rarest token of the text
// only, and the whole text is checked on the few rows it returns: the result is the same, only
// cheaper. "Rarest" is judged on PostgreSQL's own sample of the column (pg_stats: the most
// common values and histogram bounds of every partition), re-read every few minutes.

const SAMPLE_TTL_MS = 10 * 60_000;
/** a token needs this many letters/digits to give the index a trigram of its own */
const MIN_RUN = 3;

/** "invoice:4242/x" → ["invoice", ":4242", "/x"]: each run of letters/digits with the separators before it */
export function searchTokens(text: string): string[] {
  return text.match(/[^\p{L}\p{N}]*[\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu) ?? [];
}

function runLength(token: string): number {
  return token.replace(/[^\p{L}\p{N}]/gu, '').length;
}

/**
 * The token of `text` that the fewest sampled resources contain (the longest among equals), or
 * null when searching for the whole text is as good (fewer than two tokens long enough to have
 * trigrams of their own, or no sample).
 */
export function pickIndexToken(text: string, sample: readonly string[]): string | null {
  const tokens = searchTokens(text).filter((t) => runLength(t) >= MIN_RUN);
  // with one usable token, the whole text (its short parts included) narrows at least as much
  if (sample.length === 0 || tokens.length < 2) return null;
  const lowered = sample.map((s) => s.toLowerCase());
  let best: { token: string; hits: number } | null = null;
  for (const token of tokens) {
    const needle = token.toLowerCase();
    const hits = lowered.reduce((n, s) => n + (s.includes(needle) ? 1 : 0), 0);
    if (!best || hits < best.hits || (hits === best.hits && runLength(token) > runLength(best.token))) best = { token, hits };
  }
  return best?.token ?? null;
}

let cached: { at: number; values: string[] } | null = null;

async function resourceSample(): Promise<string[]> {
  if (cached && Date.now() - cached.at < SAMPLE_TTL_MS) return cached.values;
  try {
    const rows = await db().$queryRawUnsafe<{ v: string }[]>(
      `SELECT v FROM pg_stats s,
              unnest(coalesce(s.most_common_vals::text::text[], '{}') || coalesce(s.histogram_bounds::text::text[], '{}')) AS v
       WHERE s.schemaname = current_schema() AND (s.tablename = 'DecisionLog' OR s.tablename LIKE 'DecisionLog\\_%') AND s.attname = 'resource'
       LIMIT 5000`,
    );
    cached = { at: Date.now(), values: rows.map((r) => r.v).filter((v) => typeof v === 'string') };
  } catch {
    // no statistics to judge by: search for the whole text, which is merely slower
    cached = { at: Date.now(), values: [] };
  }
  return cached.values;
}

/** the part of a resource search to look up in the trigram index (null: the whole text) */
export async function resourceIndexToken(text: string | undefined): Promise<string | null> {
  if (!text) return null;
  return pickIndexToken(text, await resourceSample());
}
