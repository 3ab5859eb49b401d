'use client';

import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DecisionsChart } from './decisions-chart';
import { useOverview } from './queries';
import type { DeniedEntry, OverviewDto, OverviewRange } from './types';

const RANGES: { value: OverviewRange; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
];

/**
 * The tenant at a glance: decisions over time, who and what is denied most, and the queues
 * that need a person (approvals, expiring grants, unclassified tools, idle identities). Each
 * number links to the list behind it. Sections the viewer's role cannot read say so.
 */
export function OverviewView({ tenant }: { tenant: string }) {
  const [range, setRange] = useState<OverviewRange>('24h');
  const overview = useOverview(tenant, range);
  const o = overview.data;
  const base = `/t/${tenant}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Decisions, denials and what is waiting for someone.</p>
        </div>
        <div role="group" aria-label="Time range" className="inline-flex rounded-md border border-slate-300 dark:border-slate-700">
          {RANGES.map((r) => (
            <button
              key={r.value}
              type="button"
              aria-pressed={range === r.value}
              onClick={() => setRange(r.value)}
              className={`px-3 py-1.5 text-sm first:rounded-l-md last:rounded-r-md ${range === r.value ? 'bg-indigo-600 text-white' : 'bg-white hover:bg-slate-50 dark:bg-slate-900 dark:hover:bg-slate-800'}`}
            >
              {r.label}
            </button>
          ))}
        </div>
      </div>

      {overview.isError && <ErrorAlert>Could not load the overview: {errorMessage(overview.error)}</ErrorAlert>}
      {overview.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading the overview…
        </p>
      ) : (
        o && (
          <>
            <section aria-label="Needs attention" className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
              <StatCard label="Pending approvals" value={o.pendingApprovals} href={`${base}/approvals`} testId="stat-pending-approvals" hint="access requests waiting for a decision" />
              <StatCard
                label="Grants expiring within 24 h"
                value={o.expiringGrants?.count}
                href={`${base}/grants?expiringWithinHours=${o.expiringGrants?.withinHours ?? 24}`}
                testId="stat-expiring-grants"
                hint="active grants that end soon"
              />
              <StatCard label="Unclassified tools" value={o.unclassifiedTools?.count} href={`${base}/tools`} testId="stat-unclassified-tools" hint="every call to them is denied until classified" />
              <StatCard
                label={`Identities not seen for ${o.idleIdentities?.days ?? 30} days`}
                value={o.idleIdentities?.count}
                href={`${base}/agents`}
                testId="stat-idle-identities"
                hint="active credentials nobody uses: candidates to disable"
              />
            </section>

            {o.decisions ? (
              <Decisions tenant={tenant} decisions={o.decisions} refreshing={overview.isFetching} />
            ) : (
              <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">Decision charts are shown to roles that may read the decision log.</p>
            )}

            <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
              <ListCard title="Expiring soon" href={`${base}/grants?expiringWithinHours=24`} linkLabel="All expiring grants" empty="No grant ends within 24 hours." items={o.expiringGrants?.items}>
                {(g) => (
                  <li key={g.id} className="flex flex-wrap justify-between gap-x-2">
                    <Link href={`${base}/grants/${g.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                      {g.agent.name} → {g.tool.name}
                    </Link>
                    <span className="text-xs text-slate-500">
                      <LocalTime iso={g.expiresAt} />
                    </span>
                  </li>
                )}
              </ListCard>
              <ListCard title="Waiting for classification" href={`${base}/tools`} linkLabel="Tools" empty="Every tool is classified." items={o.unclassifiedTools?.items}>
                {(t) => (
                  <li key={t.id} className="flex flex-wrap justify-between gap-x-2">
                    <span>
                      {t.name} <span className="text-xs text-slate-500">on {t.server.name}</span>
                    </span>
                    {t.suggestedRisk && <span className="text-xs text-slate-500">suggested {t.suggestedRisk}</span>}
                  </li>
                )}
              </ListCard>
              <ListCard title="Idle identities" href={`${base}/agents`} linkLabel="Agents" empty="Every active identity was seen within 30 days." items={o.idleIdentities?.items}>
                {(i) => (
                  <li key={i.id} className="min-w-0">
                    <Link href={`${base}/agents/${i.agent.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
                      {i.agent.name}
                    </Link>
                    <div className="truncate font-mono text-xs text-slate-500" title={i.subject}>
                      {i.subject}
                    </div>
                    <div className="text-xs text-slate-500">
                      last seen <LocalTime iso={i.lastSeenAt} />
                    </div>
                  </li>
                )}
              </ListCard>
            </div>
          </>
        )
      )}
    </div>
  );
}

function Decisions({ tenant, decisions, refreshing }: { tenant: string; decisions: NonNullable<OverviewDto['decisions']>; refreshing: boolean }) {
  const base = `/t/${tenant}`;
  const { allowed, denied } = decisions.totals;
  const range = decisions.range;
  return (
    <>
      <section aria-labelledby="overview-decisions" className="card p-4 md:p-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="overview-decisions" className="text-lg font-semibold">
            Decisions {range === '24h' ? 'per hour' : 'per day'}
          </h2>
          <Link href={`${base}/decisions?range=${range}`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
            Open the decision log
          </Link>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="decision-totals">
          <span className="font-medium text-emerald-700 dark:text-emerald-400">{allowed.toLocaleString()} allowed</span>,{' '}
          <span className="font-medium text-red-700 dark:text-red-400">{denied.toLocaleString()} denied</span> since <LocalTime iso={decisions.since} />
          {refreshing && <span className="ml-2 text-xs text-slate-400">updating…</span>}
        </p>
        {allowed + denied === 0 ? (
          <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">No decisions in this period. MCP servers ask on every tool call; once they do, the answers appear here.</p>
        ) : (
          <div className="mt-3">
            <DecisionsChart decisions={decisions} />
          </div>
        )}
      </section>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <TopDenied
          title="Most denied agents"
          entries={decisions.topDeniedAgents}
          href={(e) => (e.id ? `${base}/decisions?range=${range}&outcome=deny&agent=${e.id}` : `${base}/decisions?range=${range}&outcome=deny&reason=not_authenticated`)}
          testId="top-denied-agents"
        />
        <TopDenied
          title="Most denied tools"
          entries={decisions.topDeniedTools}
          href={(e) => `${base}/decisions?range=${range}&outcome=deny&tool=${encodeURIComponent(e.id ?? e.name)}`}
          testId="top-denied-tools"
        />
      </div>
    </>
  );
}

function TopDenied({ title, entries, href, testId }: { title: string; entries: DeniedEntry[]; href: (e: DeniedEntry) => string; testId: string }) {
  return (
    <section aria-label={title} className="card p-4 md:p-6" data-testid={testId}>
      <h2 className="text-lg font-semibold">{title}</h2>
      {entries.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">No denials in this period.</p>
      ) : (
        <ol className="mt-3 space-y-3">
          {entries.map((e) => (
            <li key={e.id ?? e.name} className="text-sm">
              <div className="flex items-baseline justify-between gap-2">
                <Link href={href(e)} className="min-w-0 truncate font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  {e.name}
                  {e.serverName && <span className="font-normal text-slate-500"> on {e.serverName}</span>}
                </Link>
                <span className="shrink-0 tabular-nums text-red-700 dark:text-red-400">{e.denied.toLocaleString()} denied</span>
              </div>
              <ul className="mt-1 flex flex-wrap gap-1" aria-label={`Reasons for ${e.name}`}>
                {e.reasons.slice(0, 4).map((r) => (
                  <li key={r.reason} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">
                    {r.reason} × {r.count}
                  </li>
                ))}
                {e.reasons.length > 4 && <li className="text-xs text-slate-500">+{e.reasons.length - 4} more</li>}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function StatCard({ label, value, href, hint, testId }: { label: string; value: number | undefined; href: string; hint: string; testId: string }) {
  if (value === undefined) {
    return (
      <div className="card p-4">
        <div className="text-sm text-slate-600 dark:text-slate-400">{label}</div>
        <div className="mt-1 text-sm text-slate-500">not available for your role</div>
      </div>
    );
  }
  return (
    <Link href={href} className="card block p-4 hover:border-indigo-400 focus-visible:outline-2 focus-visible:outline-indigo-600" data-testid={testId}>
      <div className="text-sm text-slate-600 dark:text-slate-400">{label}</div>
      <div className={`mt-1 text-3xl font-semibold tabular-nums ${value > 0 ? '' : 'text-slate-400'}`}>{value.toLocaleString()}</div>
      <div className="mt-1 text-xs text-slate-500">{hint}</div>
    </Link>
  );
}

function ListCard<T>({ title, href, linkLabel, empty, items, children }: { title: string; href: string; linkLabel: string; empty: string; items: T[] | undefined; children: (item: T) => ReactNode }) {
  return (
    <section aria-label={title} className="card p-4">
      <div className="flex items-baseline justify-between gap-2">
        <h2 className="font-semibold">{title}</h2>
        <Link href={href} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          {linkLabel}
        </Link>
      </div>
      {items === undefined ? (
        <p className="mt-2 text-sm text-slate-500">Not available for your role.</p>
      ) : items.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">{empty}</p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm">{items.map(children)}</ul>
      )}
    </section>
  );
}
