'use client';

import { useState } from 'react';
import { Field } from '@/components/ui/field';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { formErrors } from '@/components/ui/form-errors';
import { EnvironmentInput } from './environment-input';
import { OwnerSelect } from './owner-select';
import { useUpdateAgent, type AgentInput } from './queries';
import type { AgentBase } from './types';

const FIELDS = ['description', 'environment', 'ownerUserId'] as const;

/** Sends only what changed: the owner field is refused for members even when unchanged. */
export function AgentEditForm({ tenant, agent, canChooseOwner }: { tenant: string; agent: AgentBase; canChooseOwner: boolean }) {
  const [description, setDescription] = useState(agent.description);
  const [environment, setEnvironment] = useState(agent.environment);
  const [owner, setOwner] = useState(agent.ownerUserId ?? '');
  const update = useUpdateAgent(tenant, agent.id);
  const errors = formErrors(update.error, FIELDS);

  const changes: AgentInput = {};
  if (description !== agent.description) changes.description = description;
  if (environment !== agent.environment) changes.environment = environment;
  if (canChooseOwner && owner !== (agent.ownerUserId ?? '')) changes.ownerUserId = owner || null;
  const dirty = Object.keys(changes).length > 0;

  return (
    <form
      aria-label="Agent details"
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) update.mutate(changes);
      }}
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Description" error={errors.fields.description} className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Environment" error={errors.fields.environment}>
          {(c) => <EnvironmentInput control={c} value={environment} onChange={setEnvironment} />}
        </Field>
        {canChooseOwner && (
          <Field label="Owner" error={errors.fields.ownerUserId}>
            {(c) => <OwnerSelect tenant={tenant} control={c} value={owner} onChange={setOwner} />}
          </Field>
        )}
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      {update.isSuccess && !dirty && <SuccessNote>Changes saved.</SuccessNote>}
      <button type="submit" className="btn-primary" disabled={!dirty || update.isPending}>
        {update.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}
