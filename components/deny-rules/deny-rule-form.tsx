'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useGrantOptions } from '@/components/grants/queries';
import { useCreateDenyRule } from './queries';

const FIELDS = ['agentId', 'toolId', 'resourcePattern', 'environment', 'reason'] as const;

/** An agent, a tool, or both; optionally one resource pattern or environment. Deny wins. */
export function DenyRuleForm({ tenant, onDone }: { tenant: string; onDone: () => void }) {
  const options = useGrantOptions(tenant);
  const [agentId, setAgentId] = useState('');
  const [toolId, setToolId] = useState('');
  const [resourcePattern, setResourcePattern] = useState('');
  const [environment, setEnvironment] = useState('');
  const [reason, setReason] = useState('');
  const create = useCreateDenyRule(tenant);
  const errors = formErrors(create.error, FIELDS);
  const serverName = (id: string) => options.data?.servers.find((s) => s.id === id)?.name ?? '';
  return (
    <form
      aria-label="New deny rule"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { agentId: agentId || null, toolId: toolId || null, resourcePattern: resourcePattern.trim() || null, environment: environment.trim() || null, reason },
          { onSuccess: onDone },
        );
      }}
    >
      <h2 className="text-lg font-semibold">New deny rule</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Agent" error={errors.fields.agentId} hint="Empty: every agent (then choose a tool).">
          {(c) => (
            <select {...c} className="input" value={agentId} onChange={(e) => setAgentId(e.target.value)} autoFocus>
              <option value="">Every agent</option>
              {options.data?.agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Tool" error={errors.fields.toolId} hint="Empty: every tool of every server.">
          {(c) => (
            <select {...c} className="input" value={toolId} onChange={(e) => setToolId(e.target.value)}>
              <option value="">Every tool</option>
              {options.data?.tools.map((t) => (
                <option key={t.id} value={t.id}>
                  {`${t.name} (${serverName(t.serverId)})`}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Resource pattern (optional)" error={errors.fields.resourcePattern} hint="* matches anything; matched without regard to case. Empty: any resource.">
          {(c) => <input {...c} className="input font-mono" value={resourcePattern} onChange={(e) => setResourcePattern(e.target.value)} spellCheck={false} />}
        </Field>
        <Field label="Environment (optional)" error={errors.fields.environment} hint="Empty: every environment.">
          {(c) => <input {...c} className="input" value={environment} onChange={(e) => setEnvironment(e.target.value)} spellCheck={false} />}
        </Field>
        <Field label="Reason" error={errors.fields.reason} hint="Shown in the decision’s explanation and kept in the audit trail." className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create deny rule'}
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
