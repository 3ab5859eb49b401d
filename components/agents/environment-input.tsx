'use client';

import type { ControlProps } from '@/components/ui/field';

// Free text (the schema allows any slug), with the usual names suggested.
const SUGGESTED = ['prod', 'staging', 'dev', 'test'];

export function EnvironmentInput({ value, onChange, control }: { value: string; onChange: (v: string) => void; control: ControlProps }) {
  const listId = `${control.id}-suggestions`;
  return (
    <>
      <input {...control} className="input" list={listId} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" spellCheck={false} />
      <datalist id={listId}>
        {SUGGESTED.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}
