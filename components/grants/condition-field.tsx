'use client';

import { useId } from 'react';
import { useCheckCondition } from './queries';

const POSITION = /at character (\d+):/;

/**
 * Where in the text the problem is, as a line and a caret under the column. The server
 * validates the trimmed condition, so leading whitespace is added back to the position.
 */
function Pointer({ source, message }: { source: string; message: string }) {
  const m = POSITION.exec(message);
  if (!m) return null;
  const lead = source.length - source.trimStart().length;
  const at = Math.min(lead + Number(m[1]) - 1, source.length);
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = source.indexOf('\n', at);
  const line = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const lineNo = source.slice(0, lineStart).split('\n').length;
  return (
    <pre className="mt-1 overflow-x-auto rounded bg-red-50 p-2 font-mono text-xs text-red-900 dark:bg-red-950 dark:text-red-200" aria-hidden="true" data-testid="condition-pointer">
      {`${lineNo > 1 ? `line ${lineNo}: ` : ''}${line}\n${' '.repeat((lineNo > 1 ? `line ${lineNo}: `.length : 0) + at - lineStart)}^`}
    </pre>
  );
}

/**
 * A CEL condition over `args` and `context`. "Check" validates it exactly as saving would; the
 * error names the character and a caret points at it.
 */
export function ConditionField({ tenant, value, onChange, error }: { tenant: string; value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  const check = useCheckCondition(tenant);
  const result = check.data && check.variables === value ? check.data : null;
  const shownError = error ?? (result && !result.ok ? result.message : undefined);
  const describedBy = [`${id}-hint`, shownError ? `${id}-error` : null, result?.ok ? `${id}-ok` : null].filter(Boolean).join(' ');
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        Condition (optional)
      </label>
      <textarea
        id={id}
        className="input mt-1 font-mono"
        rows={3}
        spellCheck={false}
        value={value}
        placeholder='e.g. args.amount <= 5000 && context.environment == "prod"'
        onChange={(e) => {
          onChange(e.target.value);
          check.reset();
        }}
        aria-invalid={shownError ? true : undefined}
        aria-describedby={describedBy}
      />
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
        A CEL expression that must be true for the call to be allowed. It can read <code>args</code> (the tool call’s arguments) and <code>context</code> (action, tool,
        resource, environment, onBehalfOf, taskId). Checked when you save.
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" disabled={value.trim() === '' || check.isPending} onClick={() => check.mutate(value)}>
          {check.isPending ? 'Checking…' : 'Check condition'}
        </button>
        {result?.ok && (
          <span id={`${id}-ok`} role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            The condition is valid.
          </span>
        )}
        {check.isError && <span className="text-sm text-red-600">Could not check the condition right now.</span>}
      </div>
      {shownError && (
        <div id={`${id}-error`}>
          <p className="field-error" role={error ? undefined : 'alert'}>
            {shownError}
          </p>
          <Pointer source={value} message={shownError} />
        </div>
      )}
    </div>
  );
}
