'use client';

import { useState } from 'react';
import { Field } from '@/components/ui/field';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { useCreateIdentity, useTrustDomainOptions } from './queries';
import { IDENTITY_KINDS, type IdentityKind } from './types';

const FIELDS = ['trustDomainId', 'kind', 'subject'] as const;

function subjectHint(kind: IdentityKind, trustDomain: string | undefined): string {
  if (kind === 'oauth_client') return 'The client_id the authorization server puts in the token.';
  return `The SPIFFE ID, e.g. spiffe://${trustDomain ?? 'trust-domain'}/ns/payments/sa/reconciler. It must belong to the chosen trust domain.`;
}

export function IdentityForm({ tenant, agentId }: { tenant: string; agentId: string }) {
  const domains = useTrustDomainOptions(tenant);
  const [trustDomainId, setTrustDomainId] = useState('');
  const [kind, setKind] = useState<IdentityKind>('spiffe_jwt');
  const [subject, setSubject] = useState('');
  const create = useCreateIdentity(tenant, agentId);
  const errors = formErrors(create.error, FIELDS);
  const chosen = domains.data?.find((d) => d.id === trustDomainId);
  const noDomains = domains.isSuccess && domains.data.length === 0;

  return (
    <form
      aria-label="Add identity"
      className="space-y-4 border-t border-slate-200 pt-4 dark:border-slate-800"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // keep domain and kind: several identities of one agent usually share them
        create.mutate({ trustDomainId, kind, subject }, { onSuccess: () => setSubject('') });
      }}
    >
      <h3 className="font-medium">Add a workload identity</h3>
      {domains.isError && <ErrorAlert>Could not load trust domains: {errorMessage(domains.error)}</ErrorAlert>}
      {noDomains && <p className="text-sm text-slate-600 dark:text-slate-400">This tenant has no trust domains yet. An admin adds them under Settings before identities can be bound.</p>}
      <div className="grid gap-4 md:grid-cols-3">
        <Field label="Trust domain" error={errors.fields.trustDomainId}>
          {(c) => (
            <select {...c} className="input" value={trustDomainId} onChange={(e) => setTrustDomainId(e.target.value)} disabled={!domains.isSuccess || noDomains}>
              <option value="">{domains.isPending ? 'Loading…' : 'Choose a trust domain'}</option>
              {domains.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind" error={errors.fields.kind}>
          {(c) => (
            <select {...c} className="input" value={kind} onChange={(e) => setKind(e.target.value as IdentityKind)}>
              {IDENTITY_KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Subject" error={errors.fields.subject} hint={subjectHint(kind, chosen?.name)} className="md:col-span-3">
          {(c) => <input {...c} className="input font-mono" value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <button type="submit" className="btn-primary" disabled={create.isPending || noDomains}>
        {create.isPending ? 'Adding…' : 'Add identity'}
      </button>
    </form>
  );
}
