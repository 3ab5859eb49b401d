'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formatDateTime } from '@/components/ui/format';
import { GrantRiskBadge } from './badges';
import { ConditionField } from './condition-field';
import { humanDuration, isoToLocalInput, localInputToIso, splitList } from './datetime';
import { nestedFormErrors } from './field-errors';
import { useBulkGrant, useCreateGrant, useGrantOptions, useToolPolicy, useUpdateGrant, type GrantScopeInput } from './queries';
import { ACTIONS, DELEGATIONS, type Delegation, type GrantAction, type GrantDetailDto, type ToolPolicy } from './types';

const FIELDS = [
  'agentId',
  'agentIds',
  'toolId',
  'actions',
  'resourcePatterns',
  'environments',
  'notBefore',
  'expiresAt',
  'maxUses',
  'delegation',
  'delegationUsers',
  'condition',
  'justification',
] as const;

type Mode = { kind: 'create'; agentId?: string; toolId?: string } | { kind: 'edit'; grant: GrantDetailDto };

/** The latest allowed expiry for a capped tool: start (or now) + the policy's maximum. */
function latestExpiry(policy: ToolPolicy | undefined, notBefore: string): Date | null {
  if (!policy?.maxDurationSeconds) return null;
  const start = notBefore ? new Date(notBefore) : new Date();
  const base = Number.isNaN(start.getTime()) || start.getTime() < Date.now() ? Date.now() : start.getTime();
  return new Date(base + policy.maxDurationSeconds * 1000);
}

/**
 * Create (one agent or several) or edit a standing grant. The tool's guardrails are fetched as
 * soon as it is chosen and shown before anything is submitted: a tool that takes no standing
 * grants says why and where access comes from instead; a capped tool pre-fills the longest
 * allowed expiry. The server applies the same rules again on save.
 */
export function GrantForm({ tenant, mode }: { tenant: string; mode: Mode }) {
  const router = useRouter();
  const editing = mode.kind === 'edit' ? mode.grant : null;
  const options = useGrantOptions(tenant);
  const [toolId, setToolId] = useState(editing?.toolId ?? (mode.kind === 'create' ? (mode.toolId ?? '') : ''));
  const [agentId, setAgentId] = useState(editing?.agentId ?? (mode.kind === 'create' ? (mode.agentId ?? '') : ''));
  const [several, setSeveral] = useState(false);
  const [agentIds, setAgentIds] = useState<string[]>(mode.kind === 'create' && mode.agentId ? [mode.agentId] : []);
  const [agentSearch, setAgentSearch] = useState('');
  const [actions, setActions] = useState<GrantAction[]>(editing?.actions ?? []);
  const [resources, setResources] = useState((editing?.resourcePatterns ?? []).join('\n'));
  const [environments, setEnvironments] = useState((editing?.environments ?? []).join(', '));
  const [notBefore, setNotBefore] = useState(isoToLocalInput(editing?.notBefore));
  const [expiresAt, setExpiresAt] = useState(isoToLocalInput(editing?.expiresAt));
  const [maxUses, setMaxUses] = useState(editing?.maxUses != null ? String(editing.maxUses) : '');
  const [delegation, setDelegation] = useState<Delegation>(editing?.delegation ?? 'allowed');
  const [delegationUsers, setDelegationUsers] = useState((editing?.delegationUsers ?? []).join('\n'));
  const [condition, setCondition] = useState(editing?.condition ?? '');
  const [justification, setJustification] = useState(editing?.justification ?? '');
  const [saved, setSaved] = useState(false);

  const policy = useToolPolicy(tenant, toolId);
  const create = useCreateGrant(tenant);
  const bulk = useBulkGrant(tenant);
  const update = useUpdateGrant(tenant, editing?.id ?? '');
  const mutation = editing ? update : several ? bulk : create;
  const errors = nestedFormErrors(mutation.error, FIELDS);

  // a new tool: its default action, and for a capped tool the longest allowed expiry, unless
  // the user already chose one for this tool
  const prefilledFor = useRef<string | null>(editing ? editing.toolId : null);
  useEffect(() => {
    const p = policy.data;
    if (!p || editing || prefilledFor.current === p.tool.id) return;
    prefilledFor.current = p.tool.id;
    setActions([p.tool.defaultAction]);
    const latest = latestExpiry(p, notBefore);
    setExpiresAt(latest ? isoToLocalInput(latest.toISOString()) : '');
  }, [policy.data, editing, notBefore]);

  const servers = options.data?.servers ?? [];
  const toolsByServer = useMemo(
    () => servers.map((s) => ({ server: s, tools: (options.data?.tools ?? []).filter((t) => t.serverId === s.id) })).filter((g) => g.tools.length > 0),
    [servers, options.data?.tools],
  );
  const agents = options.data?.agents ?? [];
  const shownAgents = agents.filter((a) => a.name.includes(agentSearch.trim().toLowerCase()));
  const p = toolId ? policy.data : undefined;
  const refused = !!p && !p.standingAllowed;
  const latest = latestExpiry(p, notBefore);

  const scope = (): GrantScopeInput => ({
    actions,
    resourcePatterns: resources
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    environments: splitList(environments),
    notBefore: localInputToIso(notBefore),
    expiresAt: localInputToIso(expiresAt),
    maxUses: maxUses.trim() === '' ? null : Number(maxUses),
    condition: condition.trim() === '' ? null : condition,
    delegation,
    delegationUsers: delegation === 'forbidden' ? [] : splitList(delegationUsers),
    justification: justification.trim() === '' ? null : justification,
  });

  const submit = () => {
    setSaved(false);
    if (editing) {
      update.mutate(scope(), { onSuccess: () => setSaved(true) });
    } else if (several) {
      bulk.mutate({ ...scope(), agentIds, toolId }, { onSuccess: (res) => router.push(`/t/${tenant}/grants?created=${res.count}&toolId=${toolId}`) });
    } else {
      create.mutate({ ...scope(), agentId, toolId }, { onSuccess: (g) => router.push(`/t/${tenant}/grants/${g.id}?created=1`) });
    }
  };

  return (
    <form
      aria-label={editing ? 'Edit grant' : 'New grant'}
      className="card space-y-6 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!refused) submit();
      }}
    >
      {options.isError && <ErrorAlert>Could not load agents and tools. Reload the page to try again.</ErrorAlert>}

      <div className="grid gap-4 md:grid-cols-2">
        {editing ? (
          <div className="md:col-span-2 text-sm">
            <span className="font-medium">{editing.agent.name}</span> on <span className="font-medium">{editing.tool.name}</span> ({editing.tool.server.name}){' '}
            <GrantRiskBadge risk={editing.tool.risk} />
            <p className="mt-1 text-xs text-slate-500">A grant’s agent and tool never change: revoke it and create another instead.</p>
          </div>
        ) : (
          <>
            <Field label="Tool" error={errors.fields.toolId && !refused ? errors.fields.toolId : undefined} hint="Grouped by MCP server. Only classified, active tools can be granted.">
              {(c) => (
                <select {...c} className="input" value={toolId} onChange={(e) => setToolId(e.target.value)} disabled={options.isPending} autoFocus>
                  <option value="">{options.isPending ? 'Loading tools…' : 'Choose a tool'}</option>
                  {toolsByServer.map(({ server, tools }) => (
                    <optgroup key={server.id} label={server.name}>
                      {tools.map((t) => (
                        <option key={t.id} value={t.id}>
                          {`${t.name} · ${t.status === 'active' ? t.risk : t.status}`}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              )}
            </Field>
            {several ? (
              <fieldset className="md:row-span-2" aria-describedby={errors.fields.agentIds ? 'bulk-agents-error' : undefined}>
                <legend className="block text-sm font-medium">Agents</legend>
                <input
                  type="search"
                  className="input mt-1"
                  placeholder="Filter agents"
                  aria-label="Filter agents"
                  value={agentSearch}
                  onChange={(e) => setAgentSearch(e.target.value)}
                />
                <div className="mt-2 max-h-56 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2 dark:border-slate-800">
                  {shownAgents.map((a) => (
                    <label key={a.id} className="flex items-center gap-2 text-sm">
                      <input
                        type="checkbox"
                        checked={agentIds.includes(a.id)}
                        onChange={(e) => setAgentIds((ids) => (e.target.checked ? [...ids, a.id] : ids.filter((x) => x !== a.id)))}
                      />
                      {a.name}
                      {a.status === 'suspended' && <span className="text-xs text-amber-700">(suspended)</span>}
                    </label>
                  ))}
                  {shownAgents.length === 0 && <p className="text-sm text-slate-500">No agent matches.</p>}
                </div>
                <p className="mt-1 text-xs text-slate-500">
                  {agentIds.length} selected. Each agent gets its own grant; if one cannot have it, none is created.
                </p>
                {errors.fields.agentIds && (
                  <p id="bulk-agents-error" className="field-error">
                    {errors.fields.agentIds}
                  </p>
                )}
              </fieldset>
            ) : (
              <Field label="Agent" error={errors.fields.agentId}>
                {(c) => (
                  <select {...c} className="input" value={agentId} onChange={(e) => setAgentId(e.target.value)} disabled={options.isPending}>
                    <option value="">{options.isPending ? 'Loading agents…' : 'Choose an agent'}</option>
                    {agents.map((a) => (
                      <option key={a.id} value={a.id}>
                        {a.status === 'suspended' ? `${a.name} (suspended)` : a.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <label className="flex items-center gap-2 text-sm md:col-start-1">
              <input
                type="checkbox"
                checked={several}
                onChange={(e) => {
                  setSeveral(e.target.checked);
                  if (e.target.checked && agentId && !agentIds.includes(agentId)) setAgentIds([...agentIds, agentId]);
                  mutation.reset();
                }}
              />
              Grant to several agents at once
            </label>
          </>
        )}
      </div>

      {toolId && <Guardrail tenant={tenant} policy={p} loading={policy.isPending} failed={policy.isError} />}

      <fieldset aria-describedby={errors.fields.actions ? 'grant-actions-error' : 'grant-actions-hint'}>
        <legend className="block text-sm font-medium">Actions</legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {ACTIONS.map((a) => (
            <label key={a} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={actions.includes(a)} onChange={(e) => setActions((list) => (e.target.checked ? [...list, a] : list.filter((x) => x !== a)))} />
              {a}
            </label>
          ))}
        </div>
        <p id="grant-actions-hint" className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          A call asks for one action (or the tool’s default); the grant must include it.
        </p>
        {errors.fields.actions && (
          <p id="grant-actions-error" className="field-error">
            {errors.fields.actions}
          </p>
        )}
      </fieldset>

      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Resource patterns" error={errors.fields.resourcePatterns} hint={<>One per line; * matches anything (invoice:* ). Empty: any resource.</>}>
          {(c) => <textarea {...c} className="input font-mono" rows={3} value={resources} onChange={(e) => setResources(e.target.value)} spellCheck={false} placeholder="invoice:*" />}
        </Field>
        <Field label="Environments" error={errors.fields.environments} hint="Comma-separated, e.g. prod, staging. Empty: any environment.">
          {(c) => <input {...c} className="input" value={environments} onChange={(e) => setEnvironments(e.target.value)} spellCheck={false} autoComplete="off" />}
        </Field>
        <Field label="Valid from" error={errors.fields.notBefore} hint="Empty: from now.">
          {(c) => <input {...c} type="datetime-local" className="input" value={notBefore} onChange={(e) => setNotBefore(e.target.value)} />}
        </Field>
        <Field
          label="Expires"
          error={errors.fields.expiresAt}
          hint={latest ? `At most ${humanDuration(p!.maxDurationSeconds!)} for this tool: by ${formatDateTime(latest.toISOString())}.` : 'Empty: no end date.'}
        >
          {(c) => (
            <input {...c} type="datetime-local" className="input" value={expiresAt} max={latest ? isoToLocalInput(latest.toISOString()) : undefined} onChange={(e) => setExpiresAt(e.target.value)} />
          )}
        </Field>
        <Field label="Max uses" error={errors.fields.maxUses} hint={p?.singleUse ? 'Grants on this tool are single-use.' : 'Empty: unlimited. Each allowed call spends one use.'}>
          {(c) => <input {...c} type="number" inputMode="numeric" min={1} className="input" value={maxUses} onChange={(e) => setMaxUses(e.target.value)} />}
        </Field>
        <Field label="Delegation" error={errors.fields.delegation} hint={DELEGATIONS.find((d) => d.value === delegation)?.hint}>
          {(c) => (
            <select {...c} className="input" value={delegation} onChange={(e) => setDelegation(e.target.value as Delegation)}>
              {DELEGATIONS.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {delegation !== 'forbidden' && (
          <Field label="Allowed users" error={errors.fields.delegationUsers} hint="Only calls on behalf of these users (one per line). Empty: any user." className="md:col-span-2">
            {(c) => <textarea {...c} className="input" rows={2} value={delegationUsers} onChange={(e) => setDelegationUsers(e.target.value)} spellCheck={false} placeholder="alice@acme.test" />}
          </Field>
        )}
      </div>

      <ConditionField tenant={tenant} value={condition} onChange={setCondition} error={errors.fields.condition} />

      <Field label="Justification (optional)" error={errors.fields.justification} hint="Why this agent needs this access; kept with the grant and in the audit trail.">
        {(c) => <textarea {...c} className="input" rows={2} value={justification} onChange={(e) => setJustification(e.target.value)} />}
      </Field>

      <ErrorAlert>{errors.general}</ErrorAlert>
      <SuccessNote>{saved && !update.isPending && 'Changes saved.'}</SuccessNote>

      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={mutation.isPending || refused}>
          {mutation.isPending ? 'Saving…' : editing ? 'Save changes' : several ? `Create ${agentIds.length === 1 ? '1 grant' : `${agentIds.length} grants`}` : 'Create grant'}
        </button>
        {!editing && (
          <Link href={`/t/${tenant}/grants`} className="btn-secondary">
            Cancel
          </Link>
        )}
      </div>
    </form>
  );
}

/** The tool's guardrails, announced politely when they change. */
function Guardrail({ tenant, policy, loading, failed }: { tenant: string; policy: ToolPolicy | undefined; loading: boolean; failed: boolean }) {
  if (failed) return <ErrorAlert>Could not load this tool’s guardrails; saving will still check them.</ErrorAlert>;
  if (loading || !policy) {
    return (
      <p role="status" className="text-sm text-slate-500">
        Checking this tool’s guardrails…
      </p>
    );
  }
  if (!policy.standingAllowed) {
    return (
      <div role="status" data-testid="tool-guardrail" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-medium">No standing grant on this tool.</p>
        <p className="mt-1">{policy.summary}</p>
        {policy.tool.status === 'active' && (
          <p className="mt-2">
            Requests are approved by {policy.approvers.replaceAll('_', ' ')}
            {policy.maxDurationSeconds ? ` and last at most ${humanDuration(policy.maxDurationSeconds)}` : ''}. See{' '}
            <Link href={`/t/${tenant}/approvals`} className="font-medium underline">
              access requests
            </Link>
            .
          </p>
        )}
      </div>
    );
  }
  return (
    <p role="status" data-testid="tool-guardrail" className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3 text-sm dark:border-slate-800 dark:bg-slate-900">
      {policy.summary}
      {policy.singleUse && ' Grants on it are single-use.'}
    </p>
  );
}
