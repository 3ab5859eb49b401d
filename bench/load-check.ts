import pg from 'pg';
import type { Answer } from './load-client';

// The question every load and fault run ends with: does each answered decision (a 200 with a
// decisionId) have its row in the decision log? Looked up by id, so a row written for a request
// that was never answered cannot make up for one that is missing.

export interface LogCheck {
  /** 200 answers */
  answered: number;
  /** of those, found in the decision log */
  logged: number;
  /** decisionIds answered but not found (should be empty) */
  missing: string[];
  /** rows for the tenant in all (rows beyond `logged` are decisions committed whose answer never arrived) */
  tenantRows: number;
}

export async function checkAnswersLogged(databaseUrl: string, tenantId: string, answers: Answer[]): Promise<LogCheck> {
  const ids = answers.filter((a) => a.status === 200 && a.decisionId).map((a) => a.decisionId!);
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 20_000) {
      const { rows } = await c.query<{ id: string }>('SELECT id FROM "DecisionLog" WHERE "tenantId" = $1 AND id = ANY($2::text[])', [tenantId, ids.slice(i, i + 20_000)]);
      for (const r of rows) found.add(r.id);
    }
    const tenantRows = Number((await c.query('SELECT count(*) FROM "DecisionLog" WHERE "tenantId" = $1', [tenantId])).rows[0].count);
    return { answered: ids.length, logged: found.size, missing: ids.filter((id) => !found.has(id)), tenantRows };
  } finally {
    await c.end();
  }
}

/** counts by outcome: allow, deny, 503, other statuses, no answer */
export function tally(answers: Answer[]) {
  const t = { allow: 0, deny: 0, unavailable: 0, otherStatus: 0, noAnswer: 0, wrongAnswer: 0, statuses: {} as Record<string, number> };
  for (const a of answers) {
    t.statuses[a.status] = (t.statuses[a.status] ?? 0) + 1;
    if (a.status === 200) {
      if (a.allow) t.allow++;
      else t.deny++;
      if (a.expected !== undefined && a.allow !== a.expected) t.wrongAnswer++;
    } else if (a.status === 503) t.unavailable++;
    else if (a.status === 0) t.noAnswer++;
    else t.otherStatus++;
  }
  return t;
}
