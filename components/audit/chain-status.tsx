'use client';

import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { useChainStatus } from './queries';

const PROBLEMS = {
  hash_mismatch: 'its content no longer matches its hash: the event was altered after it was written',
  prev_hash_mismatch: 'it does not point at the hash of the event before it: an event was altered, removed or inserted',
  sequence_gap: 'an event is missing from the sequence',
} as const;

/**
 * Whether the tenant's audit hash chain verifies, recomputed on the server from the first event
 * (or the pruning checkpoint). When it does not, the first broken link and its event.
 */
export function ChainStatusCard({ tenant, onShowEvent }: { tenant: string; onShowEvent: (seq: string) => void }) {
  const chain = useChainStatus(tenant);
  const data = chain.data;
  const r = data?.result;
  return (
    <section aria-labelledby="chain-heading" className="card space-y-3 p-4" data-testid="chain-status" data-state={!r ? 'pending' : r.ok ? 'ok' : 'broken'}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="chain-heading" className="text-lg font-semibold">
          Chain verification
        </h2>
        <button type="button" className="btn-secondary" onClick={() => chain.refetch()} disabled={chain.isFetching}>
          {chain.isFetching ? 'Verifying…' : 'Verify again'}
        </button>
      </div>
      {chain.isError && <ErrorAlert>Could not verify the chain: {errorMessage(chain.error)}</ErrorAlert>}
      {!r && chain.isFetching && (
        <p role="status" className="text-sm text-slate-500">
          Recomputing every event’s hash…
        </p>
      )}
      {r?.ok && (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          <strong>The chain verifies.</strong> {r.checked.toLocaleString()} event{r.checked === 1 ? '' : 's'} checked
          {r.headSeq ? `, up to seq ${r.headSeq}` : ''}; none was altered, removed or reordered.
        </p>
      )}
      {r && !r.ok && (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <p>
            <strong data-testid="chain-broken-at">The chain is broken at seq {r.brokenAt.seq}</strong> (event <span className="font-mono">{r.brokenAt.id}</span>): {PROBLEMS[r.brokenAt.problem]}.
          </p>
          {data?.brokenEvent && (
            <p className="mt-1">
              That event: <span className="font-mono">{data.brokenEvent.event}</span> on {data.brokenEvent.targetType} <span className="font-mono">{data.brokenEvent.targetId ?? ''}</span>, recorded{' '}
              <LocalTime iso={data.brokenEvent.time} />
              {data.brokenEvent.actorLabel ? `; its stored actor reads ${data.brokenEvent.actorLabel}` : ''}.{' '}
              <button type="button" className="underline" onClick={() => onShowEvent(r.brokenAt.seq)}>
                Show it in the trail
              </button>
            </p>
          )}
          <p className="mt-1">
            {r.checked.toLocaleString()} event{r.checked === 1 ? '' : 's'} before it verified. Treat everything from this event on as untrusted, and investigate database access.
          </p>
        </div>
      )}
      {data && (
        <p className="text-xs text-slate-500">
          Checked <LocalTime iso={data.verifiedAt} />
          {data.checkpoint ? `, from the pruning checkpoint at seq ${data.checkpoint.seq}` : ', from the first event'}. The same check runs from the command line:{' '}
          <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">npx toolwarden audit verify --tenant {tenant}</code>
        </p>
      )}
    </section>
  );
}
