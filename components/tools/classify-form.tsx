'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useClassifyTool } from './queries';
import { ACTIONS, RISK_HINTS, RISKS, SENSITIVITIES, type Risk, type Sensitivity, type ToolAction } from './types';

const FIELDS = ['risk', 'defaultAction', 'sensitivity'] as const;

/**
 * Risk, default action and sensitivity. Preselects what is known: the current classification,
 * else the risk suggested by the tool's annotations (a hint from the server, not a fact).
 */
export function ClassifyForm({
  tenant,
  tool,
  submitLabel = 'Save classification',
  onDone,
  onCancel,
}: {
  tenant: string;
  tool: { id: string; name: string; risk: Risk | null; suggestedRisk: Risk | null; defaultAction: ToolAction; sensitivity: Sensitivity };
  submitLabel?: string;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  const [risk, setRisk] = useState<Risk | ''>(tool.risk ?? tool.suggestedRisk ?? '');
  const [defaultAction, setDefaultAction] = useState<ToolAction>(tool.defaultAction);
  const [sensitivity, setSensitivity] = useState<Sensitivity>(tool.sensitivity);
  const classify = useClassifyTool(tenant);
  const errors = formErrors(classify.error, FIELDS);
  return (
    <form
      aria-label={`Classify ${tool.name}`}
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        // an empty risk goes to the server as is, which names the field
        classify.mutate({ id: tool.id, risk: risk as Risk, defaultAction, sensitivity }, { onSuccess: () => onDone?.() });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          label="Risk"
          error={errors.fields.risk}
          hint={risk ? RISK_HINTS[risk] : tool.suggestedRisk ? `Suggested from annotations: ${tool.suggestedRisk}` : undefined}
        >
          {(c) => (
            <select {...c} className="input" value={risk} onChange={(e) => setRisk(e.target.value as Risk | '')}>
              <option value="">Choose a risk level</option>
              {RISKS.map((r) => (
                <option key={r} value={r}>
                  {r}
                  {r === tool.suggestedRisk ? ' (suggested)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Default action" error={errors.fields.defaultAction} hint="Used when a call does not name its action.">
          {(c) => (
            <select {...c} className="input" value={defaultAction} onChange={(e) => setDefaultAction(e.target.value as ToolAction)}>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Data sensitivity" error={errors.fields.sensitivity}>
          {(c) => (
            <select {...c} className="input" value={sensitivity} onChange={(e) => setSensitivity(e.target.value as Sensitivity)}>
              {SENSITIVITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      {classify.isSuccess && !onDone && <SuccessNote>Classification saved.</SuccessNote>}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={classify.isPending}>
          {classify.isPending ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
