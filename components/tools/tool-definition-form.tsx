'use client';

import { useState } from 'react';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useUpdateTool } from './queries';
import type { ToolDetail } from './types';

const FIELDS = ['title', 'description', 'inputSchema'] as const;
const prettySchema = (s: unknown) => (s ? JSON.stringify(s, null, 2) : '');

/** Editing the description or schema records a new definition version, like a sync would. */
export function ToolDefinitionForm({ tenant, tool }: { tenant: string; tool: ToolDetail }) {
  const [title, setTitle] = useState(tool.title ?? '');
  const [description, setDescription] = useState(tool.description);
  const [schema, setSchema] = useState(prettySchema(tool.inputSchema));
  const update = useUpdateTool(tenant, tool.id);
  const errors = formErrors(update.error, FIELDS);
  const changes: { title?: string | null; description?: string; inputSchema?: string | null } = {};
  if (title !== (tool.title ?? '')) changes.title = title || null;
  if (description !== tool.description) changes.description = description;
  if (schema !== prettySchema(tool.inputSchema)) changes.inputSchema = schema.trim() ? schema : null;
  const dirty = Object.keys(changes).length > 0;
  return (
    <form
      aria-label="Tool definition"
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) update.mutate(changes, { onSuccess: (saved) => setSchema(prettySchema((saved as ToolDetail).inputSchema)) });
      }}
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {tool.lastSyncedAt ? 'This tool is synced by its server: the next sync replaces what you change here (and records that change too).' : 'This tool was added by hand.'}
      </p>
      <div className="grid gap-4">
        <Field label="Title" error={errors.fields.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Description" error={errors.fields.description}>
          {(c) => <textarea {...c} className="input" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Input schema (JSON)" error={errors.fields.inputSchema}>
          {(c) => <textarea {...c} className="input font-mono text-xs" rows={8} value={schema} onChange={(e) => setSchema(e.target.value)} spellCheck={false} />}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      {update.isSuccess && !dirty && <SuccessNote>Definition saved.</SuccessNote>}
      <button type="submit" className="btn-primary" disabled={!dirty || update.isPending}>
        {update.isPending ? 'Saving…' : 'Save definition'}
      </button>
    </form>
  );
}
