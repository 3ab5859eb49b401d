'use client';

import { useState } from 'react';

type Status = 'added' | 'removed' | 'changed' | 'same';

interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  status: Status;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** field-by-field rows; nested objects one level down become dotted fields (grant.actions) */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = isObject(before) ? before : before == null ? {} : { value: before };
  const a = isObject(after) ? after : after == null ? {} : { value: after };
  const rows: DiffRow[] = [];
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  for (const k of keys) {
    const inB = k in b;
    const inA = k in a;
    const bv = b[k];
    const av = a[k];
    if (inB && inA && isObject(bv) && isObject(av)) {
      for (const r of diffRows(bv, av)) rows.push({ ...r, field: `${k}.${r.field}` });
      continue;
    }
    const status: Status = !inB ? 'added' : !inA ? 'removed' : same(bv, av) ? 'same' : 'changed';
    rows.push({ field: k, before: inB ? bv : undefined, after: inA ? av : undefined, status });
  }
  return rows;
}

function show(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const TONE: Record<Status, string> = {
  added: 'bg-emerald-50 dark:bg-emerald-950/40',
  removed: 'bg-red-50 dark:bg-red-950/40',
  changed: 'bg-amber-50 dark:bg-amber-950/40',
  same: '',
};

/**
 * Before/after of one audit event. Changed fields first-class; unchanged ones folded away so the
 * change is what the eye lands on. A creation (no "before") lists what was created.
 */
export function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const [showSame, setShowSame] = useState(false);
  const rows = diffRows(before, after);
  const changed = rows.filter((r) => r.status !== 'same');
  const unchanged = rows.length - changed.length;
  const visible = showSame ? rows : changed;
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No details were recorded for this event.</p>;
  return (
    <div className="space-y-2" data-testid="audit-diff">
      <table className="w-full table-fixed text-left text-xs">
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="w-1/4 py-1 pr-2 font-medium">
              Field
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Before
            </th>
            <th scope="col" className="py-1 font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {visible.map((r) => (
            <tr key={r.field} data-testid="diff-row" data-status={r.status} data-field={r.field} className={TONE[r.status]}>
              <td className="break-words py-1 pr-2 align-top font-mono">
                {r.field}
                {r.status !== 'same' && <span className="sr-only"> ({r.status})</span>}
              </td>
              <td className={`break-words py-1 pr-2 align-top font-mono ${r.status === 'changed' || r.status === 'removed' ? 'text-red-800 line-through decoration-red-400/60 dark:text-red-300' : ''}`}>
                {r.status === 'added' ? <span className="text-slate-400">—</span> : show(r.before)}
              </td>
              <td className={`break-words py-1 align-top font-mono ${r.status === 'changed' || r.status === 'added' ? 'text-emerald-800 dark:text-emerald-300' : ''}`}>
                {r.status === 'removed' ? <span className="text-slate-400">—</span> : show(r.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {unchanged > 0 && (
        <button type="button" className="text-xs text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => setShowSame((s) => !s)}>
          {showSame ? 'Hide unchanged fields' : `Show ${unchanged} unchanged field${unchanged === 1 ? '' : 's'}`}
        </button>
      )}
    </div>
  );
}
