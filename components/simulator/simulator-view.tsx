'use client';

import { useEffect, useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { ACTIONS, type GrantAction } from '@/components/grants/types';
import { useSimulate, useSimulatorOptions } from './queries';
import { SimulationResult } from './simulation-result';
import type { SimulationInput } from './types';

const FIELDS = ['serverId', 'agentId', 'token', 'tool', 'action', 'resource', 'environment', 'onBehalfOf', 'taskId', 'arguments'] as const;

/** Arguments must be a JSON object (what MCP tool calls carry); the error says where it broke. */
function parseArguments(text: string): { value?: Record<string, unknown>; error?: string } {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'Arguments must be a JSON object, e.g. {"amount": 120}' };
  return { value: value as Record<string, unknown> };
}

/**
 * The policy simulator: the exact answer the decision API would give for a call, with its
 * reason, explanation and the grant behind it, on the current policy. Nothing is logged.
 */
export function SimulatorView({ tenant }: { tenant: string }) {
  const options = useSimulatorOptions(tenant);
  const simulate = useSimulate(tenant);
  const [serverId, setServerId] = useState('');
  const [subjectKind, setSubjectKind] = useState<'agent' | 'token'>('agent');
  const [agentId, setAgentId] = useState('');
  const [token, setToken] = useState('');
  const [tool, setTool] = useState('');
  const [action, setAction] = useState<'' | GrantAction>('');
  const [resource, setResource] = useState('');
  const [environment, setEnvironment] = useState('');
  const [onBehalfOf, setOnBehalfOf] = useState('');
  const [taskId, setTaskId] = useState('');
  const [args, setArgs] = useState('');
  const [argsError, setArgsError] = useState<string | null>(null);
  const errors = formErrors(simulate.error, FIELDS);

  const servers = options.data?.servers ?? [];
  useEffect(() => {
    if (!serverId && servers.length > 0) setServerId(servers[0].id);
  }, [serverId, servers]);
  const tools = (options.data?.tools ?? []).filter((t) => t.serverId === serverId);
  const chosenTool = tools.find((t) => t.name === tool);

  const run = () => {
    const parsed = parseArguments(args);
    setArgsError(parsed.error ?? null);
    if (parsed.error) return;
    const input: SimulationInput = {
      serverId,
      ...(subjectKind === 'agent' ? { agentId } : { token: token.trim() }),
      tool: tool.trim(),
      ...(action ? { action } : {}),
      ...(resource ? { resource } : {}),
      ...(environment.trim() ? { environment: environment.trim() } : {}),
      ...(onBehalfOf.trim() ? { onBehalfOf: onBehalfOf.trim() } : {}),
      ...(taskId.trim() ? { taskId: taskId.trim() } : {}),
      ...(parsed.value ? { arguments: parsed.value } : {}),
    };
    simulate.mutate(input);
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Policy simulator</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What would the decision API answer for this call, and why? Same policy, same engine, same explanation; nothing is logged and no use is spent.
        </p>
      </div>
      {options.isError && <ErrorAlert>Could not load servers, agents and tools. Reload the page to try again.</ErrorAlert>}
      <div className="grid gap-6 xl:grid-cols-2">
        <form
          aria-label="Simulate a call"
          className="card space-y-4 p-4 md:p-6"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <Field label="Server" error={errors.fields.serverId} hint="The MCP server asking: tools are looked up on it, tokens must be issued for its audience.">
            {(c) => (
              <select {...c} className="input" value={serverId} onChange={(e) => setServerId(e.target.value)} disabled={options.isPending}>
                {options.isPending && <option value="">Loading servers…</option>}
                {servers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>

          <fieldset>
            <legend className="block text-sm font-medium">Caller</legend>
            <div className="mt-1 flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="subject-kind" checked={subjectKind === 'agent'} onChange={() => setSubjectKind('agent')} />
                An agent
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="subject-kind" checked={subjectKind === 'token'} onChange={() => setSubjectKind('token')} />
                A token (verified like the API does)
              </label>
            </div>
          </fieldset>
          {subjectKind === 'agent' ? (
            <Field label="Agent" error={errors.fields.agentId}>
              {(c) => (
                <select {...c} className="input" value={agentId} onChange={(e) => setAgentId(e.target.value)}>
                  <option value="">Choose an agent</option>
                  {options.data?.agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.status === 'suspended' ? `${a.name} (suspended)` : a.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label="Token" error={errors.fields.token ?? errors.fields.agentId} hint="A JWT-SVID or OAuth access token, as the agent would send it.">
              {(c) => <textarea {...c} className="input font-mono text-xs" rows={4} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} autoComplete="off" />}
            </Field>
          )}

          <div className="grid gap-4 md:grid-cols-2">
            <Field label="Tool" error={errors.fields.tool} hint="A tool name as the server lists it (suggestions below the field).">
              {(c) => (
                <>
                  <input {...c} className="input" list="simulator-tools" value={tool} onChange={(e) => setTool(e.target.value)} spellCheck={false} autoComplete="off" />
                  <datalist id="simulator-tools">
                    {tools.map((t) => (
                      <option key={t.id} value={t.name}>
                        {t.status === 'active' ? `${t.risk} risk` : t.status}
                      </option>
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <Field label="Action" error={errors.fields.action}>
              {(c) => (
                <select {...c} className="input" value={action} onChange={(e) => setAction(e.target.value as '' | GrantAction)}>
                  <option value="">{chosenTool ? `Tool’s default (${chosenTool.defaultAction})` : 'Tool’s default'}</option>
                  {ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Resource" error={errors.fields.resource} hint="Optional, e.g. invoice:42.">
              {(c) => <input {...c} className="input font-mono" value={resource} onChange={(e) => setResource(e.target.value)} spellCheck={false} autoComplete="off" />}
            </Field>
            <Field label="Environment" error={errors.fields.environment} hint="Optional, e.g. prod.">
              {(c) => <input {...c} className="input" value={environment} onChange={(e) => setEnvironment(e.target.value)} spellCheck={false} autoComplete="off" />}
            </Field>
            <Field label="On behalf of" error={errors.fields.onBehalfOf} hint="Optional: the delegating user.">
              {(c) => <input {...c} className="input" value={onBehalfOf} onChange={(e) => setOnBehalfOf(e.target.value)} spellCheck={false} autoComplete="off" />}
            </Field>
            <Field label="Task id" error={errors.fields.taskId} hint="Optional.">
              {(c) => <input {...c} className="input" value={taskId} onChange={(e) => setTaskId(e.target.value)} spellCheck={false} autoComplete="off" />}
            </Field>
          </div>
          <Field label="Arguments (JSON)" error={argsError ?? errors.fields.arguments} hint='Optional: the tool call’s arguments, as a JSON object, e.g. {"amount": 120}. Used by grant conditions.'>
            {(c) => (
              <textarea
                {...c}
                className="input font-mono text-xs"
                rows={4}
                value={args}
                onChange={(e) => {
                  setArgs(e.target.value);
                  setArgsError(null);
                }}
                spellCheck={false}
              />
            )}
          </Field>
          <ErrorAlert>{errors.general}</ErrorAlert>
          <button type="submit" className="btn-primary" disabled={simulate.isPending || !serverId}>
            {simulate.isPending ? 'Simulating…' : 'Simulate'}
          </button>
        </form>

        {/* beside the form on wide screens, and kept in view while the form scrolls */}
        <div className="xl:sticky xl:top-4 xl:self-start">
          {simulate.data ? (
            <SimulationResult tenant={tenant} result={simulate.data} />
          ) : (
            <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">The answer appears here: allow or deny, the reason code, a one-sentence explanation and the grant that decided it.</p>
          )}
        </div>
      </div>
    </div>
  );
}
