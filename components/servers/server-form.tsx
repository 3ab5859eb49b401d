'use client';

import { useId, useState } from 'react';
import { Field } from '@/components/ui/field';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { formErrors } from '@/components/ui/form-errors';
import { EnvironmentInput } from '@/components/agents/environment-input';
import { useCreateServer, useUpdateServer } from './queries';
import type { ServerDto, ServerInput } from './types';

const FIELDS = ['name', 'description', 'audience', 'environment', 'mayAssertIdentity'] as const;

interface Values {
  name: string;
  description: string;
  audience: string;
  environment: string;
  mayAssertIdentity: boolean;
}

function ServerFields({ values, set, errors }: { values: Values; set: (patch: Partial<Values>) => void; errors: Partial<Record<(typeof FIELDS)[number], string>> }) {
  const assertId = useId();
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Field label="Name" error={errors.name} hint="How people refer to it, e.g. billing-mcp.">
        {(c) => <input {...c} className="input" value={values.name} onChange={(e) => set({ name: e.target.value })} autoComplete="off" spellCheck={false} required />}
      </Field>
      <Field label="Environment" error={errors.environment}>
        {(c) => <EnvironmentInput control={c} value={values.environment} onChange={(environment) => set({ environment })} />}
      </Field>
      <Field
        label="Audience"
        error={errors.audience}
        className="md:col-span-2"
        hint="What agent tokens must be issued for (their aud claim), usually the server's URL. Unique in this tenant."
      >
        {(c) => (
          <input
            {...c}
            className="input font-mono"
            value={values.audience}
            onChange={(e) => set({ audience: e.target.value })}
            placeholder="https://billing.mcp.example.com"
            autoComplete="off"
            spellCheck={false}
            required
          />
        )}
      </Field>
      <Field label="Description" error={errors.description} className="md:col-span-2">
        {(c) => <textarea {...c} className="input" rows={2} value={values.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <div className="md:col-span-2">
        <div className="flex items-start gap-2">
          <input
            id={assertId}
            type="checkbox"
            className="mt-1 h-4 w-4"
            checked={values.mayAssertIdentity}
            onChange={(e) => set({ mayAssertIdentity: e.target.checked })}
            aria-describedby={`${assertId}-hint`}
          />
          <label htmlFor={assertId} className="text-sm font-medium">
            May assert identities it verified over mTLS
          </label>
        </div>
        <p id={`${assertId}-hint`} className="ml-6 mt-1 text-xs text-slate-500 dark:text-slate-400">
          Lets this server send a SPIFFE ID instead of a token. Only for servers that terminate mTLS themselves: Toolwarden then trusts the server’s word for who is calling.
        </p>
        {errors.mayAssertIdentity && <p className="field-error">{errors.mayAssertIdentity}</p>}
      </div>
    </div>
  );
}

export function NewServerForm({ tenant, onCreated, onCancel }: { tenant: string; onCreated: (server: ServerDto) => void; onCancel: () => void }) {
  const [values, setValues] = useState<Values>({ name: '', description: '', audience: '', environment: 'prod', mayAssertIdentity: false });
  const create = useCreateServer(tenant);
  const errors = formErrors(create.error, FIELDS);
  return (
    <form
      aria-label="Register server"
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(values, { onSuccess: onCreated });
      }}
    >
      <h2 className="text-lg font-semibold">Register an MCP server</h2>
      <ServerFields values={values} set={(patch) => setValues((v) => ({ ...v, ...patch }))} errors={errors.fields} />
      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Registering…' : 'Register server'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Sends only what changed. */
export function EditServerForm({ tenant, server }: { tenant: string; server: ServerDto }) {
  const [values, setValues] = useState<Values>({
    name: server.name,
    description: server.description,
    audience: server.audience,
    environment: server.environment,
    mayAssertIdentity: server.mayAssertIdentity,
  });
  const update = useUpdateServer(tenant, server.id);
  const errors = formErrors(update.error, FIELDS);
  const changes: ServerInput = {};
  for (const k of FIELDS) if (values[k] !== server[k]) (changes as Record<string, unknown>)[k] = values[k];
  const dirty = Object.keys(changes).length > 0;
  return (
    <form
      aria-label="Server details"
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty) update.mutate(changes);
      }}
    >
      <ServerFields values={values} set={(patch) => setValues((v) => ({ ...v, ...patch }))} errors={errors.fields} />
      <ErrorAlert>{errors.general}</ErrorAlert>
      {update.isSuccess && !dirty && <SuccessNote>Changes saved.</SuccessNote>}
      <button type="submit" className="btn-primary" disabled={!dirty || update.isPending}>
        {update.isPending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}
