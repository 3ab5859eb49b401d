'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { shortDuration } from '@/lib/approval-policies/rules';
import { PolicyForm } from './policy-form';
import { usePolicies, usePolicyTools, useRemoveToolPolicy, useSetToolPolicy, useUpdateRiskPolicy, type ApprovalPolicyView, type PolicyRuleInput } from './queries';

const ruleOf = (p: ApprovalPolicyView): PolicyRuleInput => ({
  standingAllowed: p.standingAllowed,
  approvalsRequired: p.approvalsRequired,
  approvers: p.approvers,
  maxDurationSeconds: p.maxDurationSeconds,
  requestExpirySeconds: p.requestExpirySeconds,
  singleUse: p.singleUse,
});

/** Approval policies: one rule per risk level, and per-tool overrides, each read back in plain language. */
export function PoliciesView({ tenant }: { tenant: string }) {
  const policies = usePolicies(tenant);
  const update = useUpdateRiskPolicy(tenant);
  const setTool = useSetToolPolicy(tenant);
  const remove = useRemoveToolPolicy(tenant);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [toolId, setToolId] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const tools = usePolicyTools(tenant, adding);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Approval policies</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          How access to tools is approved, per risk level, with per-tool exceptions. Requests filed after a change follow the new rule.
        </p>
      </div>
      <SuccessNote>{saved}</SuccessNote>
      {policies.isError && <ErrorAlert>Could not load approval policies: {errorMessage(policies.error)}</ErrorAlert>}
      {policies.isPending && (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading policies…
        </p>
      )}
      {policies.data && (
        <>
          <section aria-labelledby="risk-policies" className="space-y-3">
            <h2 id="risk-policies" className="text-lg font-semibold">
              Per risk level
            </h2>
            <ul className="space-y-3">
              {policies.data.defaults.map((p) => (
                <li key={p.risk} className="card p-4" data-testid={`policy-${p.risk}`}>
                  {editing === p.risk ? (
                    <PolicyForm
                      label={`${p.risk} risk policy`}
                      subject={{ risk: p.risk }}
                      initial={ruleOf(p)}
                      pending={update.isPending}
                      error={update.error}
                      submitLabel="Save policy"
                      onCancel={() => {
                        setEditing(null);
                        update.reset();
                      }}
                      onSubmit={(rule) =>
                        update.mutate(
                          { ...rule, risk: p.risk },
                          {
                            onSuccess: (after) => {
                              setEditing(null);
                              setSaved(`Saved: ${after.summary}`);
                            },
                          },
                        )
                      }
                    />
                  ) : (
                    <div className="flex flex-wrap items-start justify-between gap-3">
                      <div>
                        <p className="font-medium" data-testid="policy-summary">
                          {p.summary}
                        </p>
                        <p className="text-xs text-slate-500">
                          Requests expire undecided after {shortDuration(p.requestExpirySeconds)}
                          {p.builtIn && ' · built-in default'}
                        </p>
                      </div>
                      <button
                        type="button"
                        className="btn-secondary"
                        onClick={() => {
                          setEditing(p.risk);
                          setSaved(null);
                        }}
                      >
                        Edit <span className="sr-only">{p.risk} risk policy</span>
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="tool-policies" className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-3">
              <h2 id="tool-policies" className="text-lg font-semibold">
                Per-tool overrides
              </h2>
              <button type="button" className="btn-secondary" aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
                Add override
              </button>
            </div>
            {adding && (
              <div className="card space-y-4 p-4">
                <div className="sm:w-96">
                  <label htmlFor="override-tool" className="block text-sm font-medium">
                    Tool
                  </label>
                  <select id="override-tool" className="input mt-1" value={toolId} onChange={(e) => setToolId(e.target.value)}>
                    <option value="">Choose a tool…</option>
                    {(tools.data ?? []).map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name} · {t.serverName} · {t.risk ?? 'unclassified'}
                      </option>
                    ))}
                  </select>
                </div>
                {toolId && (
                  <PolicyForm
                    key={toolId}
                    label="Tool override"
                    subject={{ tool: tools.data?.find((t) => t.id === toolId)?.name ?? 'This tool' }}
                    initial={ruleOf(policies.data.defaults.find((d) => d.risk === (tools.data?.find((t) => t.id === toolId)?.risk ?? 'critical'))!)}
                    pending={setTool.isPending}
                    error={setTool.error}
                    submitLabel="Save override"
                    onCancel={() => setAdding(false)}
                    onSubmit={(rule) =>
                      setTool.mutate(
                        { ...rule, toolId },
                        {
                          onSuccess: (after) => {
                            setAdding(false);
                            setToolId('');
                            setSaved(`Saved: ${after.summary}`);
                          },
                        },
                      )
                    }
                  />
                )}
              </div>
            )}
            {policies.data.overrides.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No overrides: every tool follows its risk level’s policy.</p>
            ) : (
              <ul className="space-y-3">
                {policies.data.overrides.map((p) => (
                  <li key={p.toolId} className="card p-4">
                    {editing === p.toolId ? (
                      <PolicyForm
                        label={`${p.tool?.name} override`}
                        subject={{ tool: p.tool?.name ?? '' }}
                        initial={ruleOf(p)}
                        pending={setTool.isPending}
                        error={setTool.error}
                        submitLabel="Save override"
                        onCancel={() => setEditing(null)}
                        onSubmit={(rule) => setTool.mutate({ ...rule, toolId: p.toolId! }, { onSuccess: (after) => { setEditing(null); setSaved(`Saved: ${after.summary}`); } })}
                      />
                    ) : (
                      <div className="flex flex-wrap items-start justify-between gap-3">
                        <div>
                          <p className="font-medium">{p.summary}</p>
                          <p className="text-xs text-slate-500">
                            {p.tool?.serverName} · <Badge tone="slate">{p.risk} risk</Badge> · requests expire after {shortDuration(p.requestExpirySeconds)}
                          </p>
                        </div>
                        <div className="flex gap-2">
                          <button type="button" className="btn-secondary" onClick={() => setEditing(p.toolId)}>
                            Edit
                          </button>
                          <button type="button" className="btn-secondary" disabled={remove.isPending} onClick={() => remove.mutate(p.toolId!, { onSuccess: () => setSaved(`${p.tool?.name} follows its risk level’s policy again.`) })}>
                            Remove
                          </button>
                        </div>
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {remove.isError && <ErrorAlert>{errorMessage(remove.error)}</ErrorAlert>}
          </section>
        </>
      )}
    </div>
  );
}
