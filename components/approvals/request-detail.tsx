'use client';

import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { shortDuration } from '@/lib/approval-policies/rules';
import { GrantKindLabel, RequestStatusBadge, RiskBadge } from './badges';
import { DecidePanel } from './decide-panel';
import { useCancelRequest, useRequestDetail, useRevokeRequestGrant } from './queries';
import type { RequestDetail as RequestDetailData } from './types';

const ROLE_TEXT: Record<string, string> = { owner: 'as tool owner', security: 'as security', 'owner+security': 'as tool owner and security' };

/** One request with what its approver needs: who asks, for what, why, with which history. */
export function RequestDetail({ tenant, initial, justFiled }: { tenant: string; initial: RequestDetailData; justFiled: boolean }) {
  const query = useRequestDetail(tenant, initial.id, initial);
  const r = query.data;
  const [decided, setDecided] = useState<string | null>(null);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/approvals`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Approvals
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-semibold">
            {r.agent.name} → {r.tool.name}
          </h1>
          <RequestStatusBadge status={r.status} />
          <RiskBadge risk={r.tool.risk} />
        </div>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="policy-summary">
          {r.policy.summary}
          {r.policy.override && ' (this tool’s own policy)'}
        </p>
      </div>

      <SuccessNote>{justFiled && r.status === 'pending' && `Request filed. It needs ${r.approvalsRequired} approval${r.approvalsRequired === 1 ? '' : 's'} from ${r.policy.approversPhrase}.`}</SuccessNote>
      <SuccessNote>{decided}</SuccessNote>
      {query.isError && <ErrorAlert>Could not refresh this request: {errorMessage(query.error)}</ErrorAlert>}

      <section aria-labelledby="request-facts" className="card p-4 md:p-6">
        <h2 id="request-facts" className="mb-3 text-lg font-semibold">
          What is requested
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
          <Fact term="Agent">
            <Link href={`/t/${tenant}/agents/${r.agentDetail.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {r.agentDetail.name}
            </Link>{' '}
            ({r.agentDetail.environment}
            {r.agentDetail.status !== 'active' && `, ${r.agentDetail.status}`}) · owner {r.agentDetail.owner?.email ?? 'none'}
          </Fact>
          <Fact term="Tool">
            {r.toolDetail.name} on {r.toolDetail.serverName} · <RiskBadge risk={r.toolDetail.risk} /> · owners{' '}
            {r.toolDetail.owners.length ? r.toolDetail.owners.map((o) => o.email).join(', ') : 'none'}
          </Fact>
          <Fact term="Actions">{r.actions.join(', ')}</Fact>
          <Fact term="Resource">{r.resource ? <code className="break-all font-mono text-xs">{r.resource}</code> : 'any resource'}</Fact>
          <Fact term="Duration">{shortDuration(r.durationSeconds)}</Fact>
          <Fact term="Task">{r.taskId ?? '—'}</Fact>
          <Fact term="Justification">
            <span className="whitespace-pre-wrap">{r.justification}</span>
          </Fact>
          <Fact term="On behalf of">{r.onBehalfOf ?? '—'}</Fact>
          <Fact term="Filed">
            <LocalTime iso={r.createdAt} /> by {r.requestedBy ? (r.requestedBy.type === 'user' ? r.requestedBy.email : `the MCP server ${r.requestedBy.name}`) : 'unknown'}
          </Fact>
          <Fact term={r.status === 'pending' ? 'Expires if undecided' : 'Decided'}>
            {r.status === 'pending' ? <LocalTime iso={r.expiresAt} /> : r.decidedAt ? <LocalTime iso={r.decidedAt} /> : r.status === 'expired' ? <>expired <LocalTime iso={r.expiresAt} /></> : '—'}
          </Fact>
        </dl>
        {r.canCancel && <CancelButton tenant={tenant} id={r.id} />}
      </section>

      <section aria-labelledby="approvals-heading" className="space-y-3">
        <h2 id="approvals-heading" className="text-lg font-semibold">
          Approvals{' '}
          <span className="text-sm font-normal text-slate-500" data-testid="approval-count">
            {r.approvalsRecorded} of {r.approvalsRequired}
          </span>
        </h2>
        {r.approvals.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No one has decided yet. Needed: {r.approvalsRequired} from {r.policy.approversPhrase}.</p>
        ) : (
          <ul className="space-y-2">
            {r.approvals.map((a) => (
              <li key={a.id} className="card p-3 text-sm" data-testid="approval-vote">
                <span className={a.verdict === 'approve' ? 'font-medium text-emerald-700 dark:text-emerald-300' : 'font-medium text-red-700 dark:text-red-300'}>
                  {a.verdict === 'approve' ? 'Approved' : 'Denied'}
                </span>{' '}
                by {a.approver?.email ?? 'a former member'} {ROLE_TEXT[a.asRole] ?? ''} · <LocalTime iso={a.createdAt} />
                {a.verdict === 'approve' && (
                  <div className="text-xs text-slate-500">
                    {a.actions.join(', ')}
                    {a.resource ? ` on ${a.resource}` : ''}
                    {a.durationSeconds !== null ? ` for ${shortDuration(a.durationSeconds)}` : ''}
                  </div>
                )}
                {a.comment && <div className="mt-1 whitespace-pre-wrap text-slate-700 dark:text-slate-300">“{a.comment}”</div>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {/* keyed by the votes: another approver's narrowing resets the form to what is left */}
      {r.status === 'pending' && <DecidePanel key={r.approvals.length} tenant={tenant} request={r} onDecided={setDecided} />}

      {r.grant && (
        <section aria-labelledby="grant-heading" className="card space-y-2 p-4 md:p-6">
          <h2 id="grant-heading" className="text-lg font-semibold">
            The grant
          </h2>
          <p className="text-sm" data-testid="request-grant">
            <GrantKindLabel kind={r.grant.kind} /> grant <code className="font-mono text-xs">{r.grant.id}</code>: <span data-testid="grant-status">{r.grant.status}</span>
            {r.grant.expiresAt && (
              <>
                , {r.grant.status === 'active' ? 'expires' : 'ended'} <LocalTime iso={r.grant.revokedAt ?? r.grant.expiresAt} />
              </>
            )}
            {r.grant.maxUses !== null && ` · ${r.grant.uses} of ${r.grant.maxUses} uses`}
            {r.grant.revokeReason && ` · revoked: ${r.grant.revokeReason}`}
          </p>
          {r.canRevokeGrant && <RevokeButton tenant={tenant} id={r.id} />}
        </section>
      )}

      <section aria-labelledby="agent-grants-heading" className="space-y-3">
        <h2 id="agent-grants-heading" className="text-lg font-semibold">
          {r.agentDetail.name}’s current grants
        </h2>
        {r.agentGrants.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">None: the agent can call no tool today.</p>
        ) : (
          <DataTable
            caption="Current grants of the agent"
            head={
              <>
                <Th>Tool</Th>
                <Th>Kind</Th>
                <Th>Scope</Th>
                <Th>Expires</Th>
              </>
            }
          >
            {r.agentGrants.map((g) => (
              <tr key={g.id} className={g.toolId === r.tool.id ? 'bg-amber-50/50 dark:bg-amber-950/30' : undefined}>
                <Td>
                  {g.toolName} <RiskBadge risk={g.risk} />
                </Td>
                <Td>
                  <GrantKindLabel kind={g.kind} />
                </Td>
                <Td className="text-xs">
                  {g.actions.join(', ')}
                  {g.resourcePatterns.length > 0 && ` on ${g.resourcePatterns.join(', ')}`}
                  {g.maxUses !== null && ` · ${g.uses}/${g.maxUses} uses`}
                </Td>
                <Td className="text-xs">
                  <LocalTime iso={g.expiresAt} empty="no end date" />
                </Td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="decisions-heading" className="space-y-3">
        <h2 id="decisions-heading" className="text-lg font-semibold">
          Recent decisions of {r.agentDetail.name} on {r.toolDetail.name}
        </h2>
        {r.recentDecisions.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">The agent has not called this tool yet.</p>
        ) : (
          <DataTable
            caption="Recent decisions"
            head={
              <>
                <Th>When</Th>
                <Th>Outcome</Th>
                <Th>Action · resource</Th>
                <Th>Task · on behalf of</Th>
              </>
            }
          >
            {r.recentDecisions.map((d) => (
              <tr key={d.id}>
                <Td className="text-xs">
                  <LocalTime iso={d.time} />
                </Td>
                <Td className={d.allow ? 'text-emerald-700 dark:text-emerald-300' : 'text-red-700 dark:text-red-300'}>
                  {d.allow ? 'allowed' : 'denied'} <span className="text-xs text-slate-500">({d.reason})</span>
                </Td>
                <Td className="text-xs">
                  {d.action ?? '—'} · {d.resource ?? 'no resource'}
                </Td>
                <Td className="text-xs">
                  {d.taskId ?? '—'} · {d.onBehalfOf ?? '—'}
                </Td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
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

function CancelButton({ tenant, id }: { tenant: string; id: string }) {
  const cancel = useCancelRequest(tenant, id);
  return (
    <div className="mt-4 space-y-2">
      <button type="button" className="btn-secondary" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
        {cancel.isPending ? 'Cancelling…' : 'Cancel request'}
      </button>
      {cancel.isError && <ErrorAlert>{errorMessage(cancel.error)}</ErrorAlert>}
    </div>
  );
}

function RevokeButton({ tenant, id }: { tenant: string; id: string }) {
  const revoke = useRevokeRequestGrant(tenant, id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const errors = formErrors(revoke.error, ['reason'] as const);
  return (
    <>
      <button type="button" className="btn-danger" onClick={() => setOpen(true)}>
        Revoke grant
      </button>
      <ConfirmDialog
        open={open}
        title="Revoke this grant now?"
        confirmLabel="Revoke grant"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        onClose={() => setOpen(false)}
        onConfirm={() => revoke.mutate(reason, { onSuccess: () => setOpen(false) })}
      >
        <p>The agent loses this access within a second, on every MCP server.</p>
        <Field label="Reason" error={errors.fields.reason}>
          {(c) => <input {...c} className="input" value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <ErrorAlert>{errors.general}</ErrorAlert>
      </ConfirmDialog>
    </>
  );
}
