'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { GrantKindBadge, GrantRiskBadge, GrantStatusBadge } from './badges';
import { GrantForm } from './grant-form';
import { useGrant } from './queries';
import { RevokeGrantButton } from './revoke-grant-dialog';
import type { GrantDetailDto } from './types';

/** One grant: what it allows, who made it, and (for security/admin) edit and revoke. */
export function GrantDetail({ tenant, initialGrant, canManage, justCreated }: { tenant: string; initialGrant: GrantDetailDto; canManage: boolean; justCreated: boolean }) {
  const query = useGrant(tenant, initialGrant.id, initialGrant);
  const g = query.data;
  const notYetValid = !!g.notBefore && new Date(g.notBefore).getTime() > Date.now();
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/t/${tenant}/grants`} className="text-sm text-indigo-700 hover:underline dark:text-indigo-300">
          ← Grants
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="break-all text-2xl font-semibold">
            {g.agent.name} → {g.tool.name}
          </h1>
          <GrantStatusBadge status={g.status} notYetValid={notYetValid} />
          <GrantKindBadge kind={g.kind} />
        </div>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Tool on {g.tool.server.name}, <GrantRiskBadge risk={g.tool.risk} /> risk. Grant <code className="font-mono text-xs">{g.id}</code>
        </p>
      </div>

      <SuccessNote>{justCreated && 'Grant created. MCP servers apply it within a second.'}</SuccessNote>
      {query.isError && <ErrorAlert>Could not refresh this grant: {errorMessage(query.error)}</ErrorAlert>}

      <section aria-labelledby="grant-facts" className="card p-4 md:p-6">
        <h2 id="grant-facts" className="sr-only">
          What this grant allows
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <Fact term="Agent">
            <Link href={`/t/${tenant}/agents/${g.agent.id}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
              {g.agent.name}
            </Link>
            {g.agent.status === 'suspended' && ' (suspended: every call is denied)'}
          </Fact>
          <Fact term="Actions">{g.actions.join(', ')}</Fact>
          <Fact term="Resources">{g.resourcePatterns.length ? <code className="break-all font-mono text-xs">{g.resourcePatterns.join(', ')}</code> : 'any resource'}</Fact>
          <Fact term="Environments">{g.environments.length ? g.environments.join(', ') : 'any environment'}</Fact>
          <Fact term="Valid from">{g.notBefore ? <LocalTime iso={g.notBefore} /> : 'creation'}</Fact>
          <Fact term="Expires">{g.expiresAt ? <LocalTime iso={g.expiresAt} /> : 'no end date'}</Fact>
          <Fact term="Uses">{g.maxUses === null ? `${g.uses} (unlimited)` : `${g.uses} of ${g.maxUses}`}</Fact>
          <Fact term="Delegation">
            {g.delegation}
            {g.delegationUsers.length > 0 && ` (only for ${g.delegationUsers.join(', ')})`}
          </Fact>
          <Fact term="Condition">{g.condition ? <code className="break-all font-mono text-xs">{g.condition}</code> : 'none'}</Fact>
          <Fact term="Justification">{g.justification || '—'}</Fact>
          <Fact term="Created">
            <LocalTime iso={g.createdAt} /> {g.createdBy ? `by ${g.createdBy.email}` : g.sourceRequestId ? 'by approving an access request' : 'by the system'}
          </Fact>
          {g.revokedAt && (
            <Fact term="Revoked">
              <LocalTime iso={g.revokedAt} /> {g.revokedBy && `by ${g.revokedBy.email}`}: <span data-testid="revoke-reason">{g.revokeReason}</span>
            </Fact>
          )}
        </dl>
        {canManage && g.status !== 'revoked' && (
          <div className="mt-4">
            <RevokeGrantButton tenant={tenant} grant={g} />
          </div>
        )}
      </section>

      {canManage && g.status !== 'revoked' && g.kind === 'standing' && (
        <section aria-labelledby="grant-edit-heading" className="space-y-3">
          <h2 id="grant-edit-heading" className="text-lg font-semibold">
            Edit scope
          </h2>
          <GrantForm key={g.id} tenant={tenant} mode={{ kind: 'edit', grant: g }} />
        </section>
      )}
      {canManage && g.status !== 'revoked' && g.kind !== 'standing' && (
        <p className="text-sm text-slate-600 dark:text-slate-400">This {g.kind === 'jit' ? 'just-in-time' : 'break-glass'} grant is not edited: its scope is what was approved. Revoke it if it is no longer needed.</p>
      )}
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
