export type OverviewRange = '24h' | '7d';

export interface DeniedEntry {
  id: string | null;
  name: string;
  serverName: string | null;
  denied: number;
  reasons: { reason: string; count: number }[];
}

/** GET /overview: a section is null when the viewer's role may not read what it summarises. */
export interface OverviewDto {
  generatedAt: string;
  tz: string;
  decisions: {
    range: OverviewRange;
    since: string;
    series: { start: string; allowed: number; denied: number }[];
    totals: { allowed: number; denied: number };
    topDeniedAgents: DeniedEntry[];
    topDeniedTools: DeniedEntry[];
  } | null;
  pendingApprovals: number;
  expiringGrants: {
    withinHours: number;
    count: number;
    items: { id: string; expiresAt: string; kind: string; agent: { id: string; name: string }; tool: { id: string; name: string } }[];
  } | null;
  unclassifiedTools: {
    count: number;
    items: { id: string; name: string; suggestedRisk: string | null; createdAt: string; server: { id: string; name: string } }[];
  } | null;
  idleIdentities: {
    days: number;
    count: number;
    items: { id: string; subject: string; kind: string; lastSeenAt: string | null; createdAt: string; agent: { id: string; name: string } }[];
  } | null;
}
