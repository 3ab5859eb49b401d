'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { ActionsField } from './actions-field';
import { DurationInput } from './duration-input';
import { useCreateBreakGlass, useRequestOptions } from './queries';
import { ACTIONS, type Action } from './types';

const FIELDS = ['agentId', 'toolId', 'actions', 'resource', 'durationSeconds', 'justification'] as const;

/** Immediate access without approval: at most an hour, justified, notified, reviewed afterwards. */
export function BreakGlassForm({ tenant, onCreated, onCancel }: { tenant: string; onCreated: () => void; onCancel: () => void }) {
  const options = useRequestOptions(tenant);
  const create = useCreateBreakGlass(tenant);
  const [agentId, setAgentId] = useState('');
  const [toolId, setToolId] = useState('');
  const [actions, setActions] = useState<Action[]>([]);
  const [resource, setResource] = useState('');
  const [duration, setDuration] = useState(1800);
  const [justification, setJustification] = useState('');
  const errors = formErrors(create.error, FIELDS);

  if (options.isPending) return <p role="status" className="card p-4 text-sm text-slate-500">Loading agents and tools…</p>;
  if (options.isError) return <ErrorAlert>Could not load agents and tools: {errorMessage(options.error)}</ErrorAlert>;
  const { agents, tools } = options.data;
  return (
    <form
      aria-label="Break-glass access"
      className="card space-y-4 border-red-300 p-4 md:p-6 dark:border-red-900"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ agentId, toolId, actions, resource: resource.trim() || undefined, durationSeconds: duration, justification }, { onSuccess: () => onCreated() });
      }}
    >
      <h2 className="text-lg font-semibold text-red-700 dark:text-red-300">Break-glass access</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        For emergencies only. The grant takes effect at once without approval, lasts at most 1 hour, is flagged everywhere, notified to the webhooks, and reviewed afterwards by a second person.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Agent" error={errors.fields.agentId}>
          {(c) => (
            <select {...c} className="input" value={agentId} onChange={(e) => setAgentId(e.target.value)}>
              <option value="">Choose an agent…</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tool" error={errors.fields.toolId}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={toolId}
              onChange={(e) => {
                setToolId(e.target.value);
                const t = tools.find((x) => x.id === e.target.value);
                if (t && actions.length === 0) setActions([t.defaultAction]);
              }}
            >
              <option value="">Choose a tool…</option>
              {tools.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} · {t.serverName} · {t.risk} risk
                </option>
              ))}
            </select>
          )}
        </Field>
        <ActionsField legend="Actions" allowed={ACTIONS} value={actions} onChange={setActions} error={errors.fields.actions} />
        <Field label="Resource" error={errors.fields.resource} hint="Optional; * is a wildcard. Empty: any resource.">
          {(c) => <input {...c} className="input font-mono" value={resource} onChange={(e) => setResource(e.target.value)} spellCheck={false} autoComplete="off" />}
        </Field>
        <Field label="Duration" error={errors.fields.durationSeconds} hint="At most 1 hour.">
          {(c) => <DurationInput control={c} seconds={duration} onChange={setDuration} units={[60, 3_600]} label="Duration" />}
        </Field>
        <Field label="Justification" error={errors.fields.justification} hint="At least 20 characters: what is broken, and why normal approval cannot wait." className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={3} value={justification} onChange={(e) => setJustification(e.target.value)} />}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-danger" disabled={create.isPending}>
          {create.isPending ? 'Granting…' : 'Grant break-glass access'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
