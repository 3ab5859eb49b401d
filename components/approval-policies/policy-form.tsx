'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { DurationInput } from '@/components/approvals/duration-input';
import { summarizePolicy } from '@/lib/approval-policies/rules';
import type { PolicyRuleInput } from './queries';

const FIELDS = ['standingAllowed', 'approvalsRequired', 'approvers', 'maxDurationSeconds', 'requestExpirySeconds', 'singleUse'] as const;

const APPROVERS = [
  { value: 'none', label: 'No approval needed' },
  { value: 'owners', label: 'Tool owners' },
  { value: 'security', label: 'Security (role security or admin)' },
  { value: 'owners_or_security', label: 'A tool owner or security' },
  { value: 'owners_and_security', label: 'A tool owner and security (distinct people)' },
];

/**
 * One rule's fields, with the summary it will read as shown live. The server checks the
 * combination again (and explains what does not fit).
 */
export function PolicyForm({
  label,
  subject,
  initial,
  pending,
  error,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  label: string;
  subject: { risk: 'low' | 'medium' | 'high' | 'critical' } | { tool: string };
  initial: PolicyRuleInput;
  pending: boolean;
  error: unknown;
  submitLabel: string;
  onSubmit: (rule: PolicyRuleInput) => void;
  onCancel: () => void;
}) {
  const [standingAllowed, setStandingAllowed] = useState(initial.standingAllowed);
  const [approvers, setApprovers] = useState(initial.approvers);
  const [approvalsRequired, setApprovalsRequired] = useState(String(initial.approvalsRequired));
  const [limited, setLimited] = useState(initial.maxDurationSeconds !== null);
  const [maxDuration, setMaxDuration] = useState(initial.maxDurationSeconds ?? 3600);
  const [expiry, setExpiry] = useState(initial.requestExpirySeconds);
  const [singleUse, setSingleUse] = useState(initial.singleUse);
  const errors = formErrors(error, FIELDS);
  const rule: PolicyRuleInput = {
    standingAllowed,
    approvers,
    approvalsRequired: Number(approvalsRequired),
    maxDurationSeconds: limited ? maxDuration : null,
    requestExpirySeconds: expiry,
    singleUse,
  };
  return (
    <form
      aria-label={label}
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(rule);
      }}
    >
      <p className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800" data-testid="policy-preview">
        {Number.isFinite(rule.approvalsRequired) ? summarizePolicy(rule, subject) : '…'}
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Who approves" error={errors.fields.approvers}>
          {(c) => (
            <select
              {...c}
              className="input"
              value={approvers}
              onChange={(e) => {
                setApprovers(e.target.value);
                if (e.target.value === 'none') setApprovalsRequired('0');
                else if (e.target.value === 'owners_and_security' && Number(approvalsRequired) < 2) setApprovalsRequired('2');
                else if (approvalsRequired === '0') setApprovalsRequired('1');
              }}
            >
              {APPROVERS.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Approvals required" error={errors.fields.approvalsRequired}>
          {(c) => <input {...c} type="number" min={0} max={5} className="input w-28" value={approvalsRequired} onChange={(e) => setApprovalsRequired(e.target.value)} />}
        </Field>
        <div>
          <label className="inline-flex items-center gap-2 text-sm font-medium">
            <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.target.checked)} /> Limit how long access lasts
          </label>
          {limited && (
            <div className="mt-2">
              <Field label="Maximum duration" error={errors.fields.maxDurationSeconds}>
                {(c) => <DurationInput control={c} seconds={maxDuration} onChange={setMaxDuration} units={[60, 3_600, 86_400]} label="Maximum duration" />}
              </Field>
            </div>
          )}
        </div>
        <Field label="Requests expire undecided after" error={errors.fields.requestExpirySeconds}>
          {(c) => <DurationInput control={c} seconds={expiry} onChange={setExpiry} units={[60, 3_600, 86_400]} label="Request expiry" />}
        </Field>
        <div className="space-y-1">
          <label className="inline-flex items-center gap-2 text-sm">
            <input type="checkbox" checked={standingAllowed} onChange={(e) => setStandingAllowed(e.target.checked)} /> Standing grants allowed
          </label>
          {errors.fields.standingAllowed && <p className="field-error">{errors.fields.standingAllowed}</p>}
        </div>
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="checkbox" checked={singleUse} onChange={(e) => setSingleUse(e.target.checked)} /> Approved grants are single use
        </label>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
