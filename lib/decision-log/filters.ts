import { z } from 'zod';
import { AUTHZ_REASONS } from '../policy/types';
import { AUTHN_REASONS } from '../identity/types';

// The decision-log filters as they appear in the console URL (?agent=agt_…&outcome=deny…), so a
// filtered view can be shared by copying the address. One schema validates the list, the
// charts and the exports, so all three always show the same rows.
//
// Pure data and zod only: the client imports the constants below to build its filter bar.

export const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];

/** the shortest free-text resource search (see the resource filter below) */
export const RESOURCE_MIN_LENGTH = 3;

export const DECISION_ACTIONS = ['read', 'write', 'admin', 'export'] as const;

/**
 * Authorization reasons live in `reason`; authentication reasons in `authnReason` (the
 * authorization reason is then `not_authenticated`). The sets are disjoint, so one `reason`
 * filter covers both columns.
 */
export const DECISION_REASONS = [...AUTHZ_REASONS, ...AUTHN_REASONS] as const;
export const AUTHN_REASON_SET: ReadonlySet<string> = new Set(AUTHN_REASONS);

/** The URL parameter names, in the order the filter bar shows them. */
export const FILTER_KEYS = ['range', 'from', 'to', 'server', 'agent', 'subject', 'tool', 'action', 'outcome', 'reason', 'onBehalfOf', 'task', 'resource', 'grant'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const isoDate = z
  .string()
  .trim()
  .max(40)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Use an ISO 8601 date-time, e.g. 2026-11-24T10:00:00Z')
  .transform((s) => new Date(s));

const id = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, `Not a valid ${what} id`);

const text = (max: number) => z.string().trim().min(1).max(max);

// Empty strings (a cleared input in the URL) mean "no filter", not an invalid value.
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <S extends z.ZodType>(s: S) => z.preprocess(blankToUndefined, s.optional());

export const decisionFilterSchema = z
  .object({
    /** relative window ending now: resolved when the query runs, so a shared link stays "the last 24 h" */
    range: opt(z.enum(RANGE_KEYS as [RangeKey, ...RangeKey[]])),
    from: opt(isoDate),
    to: opt(isoDate),
    server: opt(id('server')),
    agent: opt(id('agent')),
    /** identity subject (SPIFFE ID or OAuth client id), exact */
    subject: opt(text(2048)),
    /** a tool id (tol_…) or a tool name, exact */
    tool: opt(text(256)),
    action: opt(z.enum(DECISION_ACTIONS)),
    outcome: opt(z.enum(['allow', 'deny'])),
    reason: opt(z.enum(DECISION_REASONS)),
    onBehalfOf: opt(text(320)),
    task: opt(text(200)),
    /**
     * free text, matched anywhere in the resource (case-insensitive), answered by a trigram
     * index: a trigram needs 3 characters, and shorter text would mean reading the whole log
     */
    resource: opt(
      z
        .string()
        .trim()
        .min(RESOURCE_MIN_LENGTH, `Type at least ${RESOURCE_MIN_LENGTH} characters to search resources`)
        .max(200),
    ),
    grant: opt(id('grant')),
  })
  .superRefine((v, ctx) => {
    if (v.from && v.to && v.from >= v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '"to" must be after "from"' });
  });

export type DecisionFilters = z.output<typeof decisionFilterSchema>;

export const decisionPageSchema = z.object({
  cursor: opt(z.string().max(200)),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});

/** The concrete time window of a filter at `now` (either bound may be open). */
export function timeWindow(f: DecisionFilters, now = Date.now()): { from: Date | null; to: Date | null } {
  let from = f.from ?? null;
  if (f.range) {
    const rel = new Date(now - RANGES[f.range]);
    // both given: the narrower lower bound wins
    from = from && from > rel ? from : rel;
  }
  return { from, to: f.to ?? null };
}
