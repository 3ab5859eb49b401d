import Link from 'next/link';
import type { ReactNode } from 'react';
import { LocalTime } from '@/components/ui/local-time';
import type { SimulationDto } from './types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The answer as the API would give it: decision, reason, explanation, and the grant behind it. */
export function SimulationResult({ tenant, result }: { tenant: string; result: SimulationDto }) {
  const { authentication: authn, authorization: authz, grant } = result;
  return (
    <section aria-label="Simulation result" aria-live="polite" className="card space-y-4 p-4 md:p-6">
      <div className="flex flex-wrap items-center gap-3">
        <span
          data-testid="sim-decision"
          className={`rounded-md px-3 py-1 text-lg font-semibold ${result.allow ? 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200' : 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200'}`}
        >
          {result.allow ? 'Allow' : 'Deny'}
        </span>
        <code data-testid="sim-reason" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm dark:bg-slate-800">
          {authz.reason}
        </code>
        {authz.approval.required && <span className="text-sm text-amber-800 dark:text-amber-300">An approved access request would allow it.</span>}
      </div>
      <p data-testid="sim-explanation" className="text-sm">
        {authz.explanation}
      </p>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        <Fact term="Authentication">
          {authn.status}
          {authn.reason && (
            <>
              {' '}
              (<code className="font-mono text-xs">{authn.reason}</code>
              {authn.detail ? `: ${authn.detail}` : ''})
            </>
          )}
        </Fact>
        <Fact term="Subject">
          <span className="break-all">{authn.subject ?? '—'}</span>
          {authn.onBehalfOf && <> on behalf of {authn.onBehalfOf}</>}
        </Fact>
        <Fact term="Cache">{result.allow ? `the MCP server may reuse this answer for ${result.cacheTtlSeconds} s` : 'denies are never cached'}</Fact>
        {result.consumesUse && <Fact term="Uses">a real call would spend one of the grant’s uses</Fact>}
      </dl>
      {grant ? (
        <div className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="sim-grant">
          <div className="font-medium">
            {result.allow ? 'Allowed by grant' : 'Closest grant'}{' '}
            <Link href={`/t/${tenant}/grants/${grant.id}`} className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-300">
              {grant.id}
            </Link>
          </div>
          <ul className="mt-1 space-y-0.5 text-xs text-slate-600 dark:text-slate-400">
            <li>
              {grant.kind} grant · actions {grant.actions.join(', ')}
            </li>
            <li className="break-all">{grant.resourcePatterns.length ? `resources ${grant.resourcePatterns.join(', ')}` : 'any resource'}</li>
            <li>{grant.environments.length ? `environments ${grant.environments.join(', ')}` : 'any environment'}</li>
            {grant.condition && <li className="break-all">condition {grant.condition}</li>}
            {grant.maxUses !== null && (
              <li>
                {grant.uses} of {grant.maxUses} uses spent
              </li>
            )}
            <li>{grant.expiresAt ? <>until <LocalTime iso={iso(grant.expiresAt)} /></> : 'no end date'}</li>
          </ul>
        </div>
      ) : (
        <p className="text-sm text-slate-500">No grant of this agent applies to this tool.</p>
      )}
      <p className="text-xs text-slate-500">Simulated on the current policy: nothing was written to the decision log and no use was spent.</p>
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
      <dd className="break-words">{children}</dd>
    </div>
  );
}
