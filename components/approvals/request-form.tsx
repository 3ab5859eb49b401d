'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { shortDuration } from '@/lib/approval-policies/rules';
import { ActionsField } from './actions-field';
import { DurationInput } from './duration-input';
import { useCreateRequest, useRequestOptions } from './queries';
import { ACTIONS, type Action } from './types';

const FIELDS = ['agentId', 'toolId', 'actions', 'resource', 'durationSeconds', 'justification', 'taskId'] as const;

/**
 * File an access request for an agent. Members see the agents they own; security and admin
 * every agent. The tool's approval policy is shown in words before anything is sent.
 */
export function RequestForm({ tenant, onCreated, onCancel }: { tenant: string; onCreated: (id: string) => void; onCancel: () => void }) {
  const options = useRequestOptions(tenant);
  const create = useCreateRequest(tenant);
  const [agentId, setAgentId] = useState('');
  const [toolId, setToolId] = useState('');
  const [actions, setActions] = useState<Action[]>([]);
  const [resource, setResource] = useState('');
  const [duration, setDuration] = useState(3600);
  const [justification, setJustification] = useState('');
  const [taskId, setTaskId] = useState('');
  const errors = formErrors(create.error, FIELDS);
  const tool = options.data?.tools.find((t) => t.id === toolId);

  if (options.isPending) return <p role="status" className="card p-4 text-sm text-slate-500">Loading agents and tools…</p>;
  if (options.isError) return <ErrorAlert>Could not load agents and tools: {errorMessage(options.error)}</ErrorAlert>;
  const { agents, tools } = options.data;

  return (
    <form
      aria-label="Request access"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { agentId, toolId, actions, resource: resource.trim() || undefined, durationSeconds: duration, justification, taskId: taskId.trim() || undefined },
          { onSuccess: (r) => onCreated(r.id) },
        );
      }}
    >
      <h2 className="text-lg font-semibold">Request access for an agent</h2>
      {agents.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">You own no active agent. Access is requested for agents you own; security can request for any agent.</p>}
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Agent" error={errors.fields.agentId}>
          {(c) => (
            <select {...c} className="input" value={agentId} onChange={(e) => setAgentId(e.target.value)}>
              <option value="">Choose an agent…</option>
              {agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.environment})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tool" error={errors.fields.toolId} hint={tool ? <span data-testid="request-policy">{tool.summary}</span> : 'Only classified, enabled tools can be requested.'}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={toolId}
              onChange={(e) => {
                setToolId(e.target.value);
                const t = tools.find((x) => x.id === e.target.value);
                if (t && actions.length === 0) setActions([t.defaultAction]);
                if (t?.maxDurationSeconds && duration > t.maxDurationSeconds) setDuration(t.maxDurationSeconds);
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
        <Field label="Resource" error={errors.fields.resource} hint="Optional; * is a wildcard, e.g. account:42 or account:*. Leave empty for any resource.">
          {(c) => <input {...c} className="input font-mono" value={resource} onChange={(e) => setResource(e.target.value)} spellCheck={false} autoComplete="off" />}
        </Field>
        <Field label="Duration" error={errors.fields.durationSeconds} hint={tool?.maxDurationSeconds ? `At most ${shortDuration(tool.maxDurationSeconds)} for ${tool.name}.` : 'How long the access lasts once approved.'}>
          {(c) => <DurationInput key={toolId} control={c} seconds={duration} onChange={setDuration} label="Duration" />}
        </Field>
        <Field label="Task id" error={errors.fields.taskId} hint="Optional: the ticket or task this access is for.">
          {(c) => <input {...c} className="input" value={taskId} onChange={(e) => setTaskId(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Justification" error={errors.fields.justification} hint="What the agent will do and why; approvers read this." className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={3} value={justification} onChange={(e) => setJustification(e.target.value)} />}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Filing…' : 'File request'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
