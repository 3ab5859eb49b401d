'use client';

import type { Action } from './types';

/** Checkboxes for actions, as a labelled group; `allowed` limits what may be ticked. */
export function ActionsField({ legend, allowed, value, onChange, error, hint }: { legend: string; allowed: Action[]; value: Action[]; onChange: (next: Action[]) => void; error?: string; hint?: string }) {
  return (
    <fieldset>
      <legend className="block text-sm font-medium">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-4">
        {allowed.map((a) => (
          <label key={a} className="inline-flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={value.includes(a)}
              onChange={(e) => onChange(e.target.checked ? allowed.filter((x) => x === a || value.includes(x)) : value.filter((x) => x !== a))}
            />
            {a}
          </label>
        ))}
      </div>
      {hint && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p>}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
