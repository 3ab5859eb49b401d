'use client';

import { useState } from 'react';
import { Field } from '@/components/ui/field';
import { ErrorAlert } from '@/components/ui/alert';
import { formErrors } from '@/components/ui/form-errors';
import { useCreateAgent } from './queries';
import { OwnerSelect } from './owner-select';
import { EnvironmentInput } from './environment-input';
import type { AgentBase } from './types';

const FIELDS = ['name', 'description', 'environment', 'ownerUserId'] as const;

/**
 * New agent. The owner choice is offered to security/admin only: for a member the server sets
 * the owner to themselves whatever is sent.
 */
export function AgentForm({ tenant, canChooseOwner, onCreated, onCancel }: { tenant: string; canChooseOwner: boolean; onCreated: (agent: AgentBase) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [environment, setEnvironment] = useState('prod');
  const [owner, setOwner] = useState('');
  const create = useCreateAgent(tenant);
  const errors = formErrors(create.error, FIELDS);

  return (
    <form
      aria-label="New agent"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { name, description, environment, ...(canChooseOwner ? { ownerUserId: owner || null } : {}) },
          { onSuccess: (agent) => onCreated(agent) },
        );
      }}
    >
      <h2 className="text-lg font-semibold">New agent</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Name" error={errors.fields.name} hint="One agent per workload or workflow, e.g. invoice-reconciler.">
          {(c) => <input {...c} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} autoFocus required />}
        </Field>
        <Field label="Environment" error={errors.fields.environment}>
          {(c) => <EnvironmentInput control={c} value={environment} onChange={setEnvironment} />}
        </Field>
        <Field label="Description" error={errors.fields.description} className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        {canChooseOwner && (
          <Field label="Owner" error={errors.fields.ownerUserId} hint="The person accountable for this agent. Owners can manage it and request access for it.">
            {(c) => <OwnerSelect tenant={tenant} control={c} value={owner} onChange={setOwner} />}
          </Field>
        )}
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create agent'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
