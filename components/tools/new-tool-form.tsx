'use client';

import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { formErrors } from '@/components/ui/form-errors';
import { useServerOptions } from '@/components/servers/queries';
import { useCreateTool } from './queries';

const FIELDS = ['serverId', 'name', 'title', 'description', 'inputSchema'] as const;

/** A tool added by hand arrives unclassified too: the queue above is where it gets its risk. */
export function NewToolForm({ tenant, fixedServerId, onCreated, onCancel }: { tenant: string; fixedServerId?: string; onCreated: (name: string) => void; onCancel: () => void }) {
  const servers = useServerOptions(tenant);
  const [serverId, setServerId] = useState(fixedServerId ?? '');
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [inputSchema, setInputSchema] = useState('');
  const create = useCreateTool(tenant);
  const errors = formErrors(create.error, FIELDS);
  return (
    <form
      aria-label="Add tool"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { serverId, name, ...(title ? { title } : {}), description, ...(inputSchema.trim() ? { inputSchema } : {}) },
          { onSuccess: (tool) => onCreated(tool.name) },
        );
      }}
    >
      <h2 className="text-lg font-semibold">Add a tool</h2>
      <div className="grid gap-4 md:grid-cols-2">
        {!fixedServerId && (
          <Field label="Server" error={errors.fields.serverId}>
            {(c) => (
              <select {...c} className="input" value={serverId} onChange={(e) => setServerId(e.target.value)} disabled={servers.isPending}>
                <option value="">{servers.isPending ? 'Loading…' : 'Choose a server'}</option>
                {servers.data?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Tool name" error={errors.fields.name} hint="Exactly as the server lists it in tools/list.">
          {(c) => <input {...c} className="input font-mono" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Title" error={errors.fields.title}>
          {(c) => <input {...c} className="input" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Description" error={errors.fields.description} className="md:col-span-2">
          {(c) => <textarea {...c} className="input" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Input schema (JSON, optional)" error={errors.fields.inputSchema} className="md:col-span-2">
          {(c) => (
            <textarea
              {...c}
              className="input font-mono text-xs"
              rows={4}
              value={inputSchema}
              onChange={(e) => setInputSchema(e.target.value)}
              placeholder='{"type": "object", "properties": {}}'
              spellCheck={false}
            />
          )}
        </Field>
      </div>
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add tool'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
