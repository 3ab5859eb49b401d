'use client';

import { useId, useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Field } from '@/components/ui/field';
import { errorMessage, formErrors } from '@/components/ui/form-errors';
import { useCreateTrustDomain, useTestJwksUrl, useUpdateTrustDomain } from './queries';
import { ALGORITHMS, type TrustDomainDto, type TrustDomainInput } from './types';

const FIELDS = ['name', 'description', 'issuer', 'jwks', 'jwksUrl', 'allowedAlgs', 'maxTokenLifetimeSeconds'] as const;

type KeySource = 'jwks' | 'url';

function TestFetch({ tenant, jwksUrl, allowedAlgs }: { tenant: string; jwksUrl: string; allowedAlgs: string[] }) {
  const test = useTestJwksUrl(tenant);
  const urlError = formErrors(test.error, ['jwksUrl', 'allowedAlgs'] as const);
  const result = test.data;
  return (
    <div className="space-y-2">
      <button type="button" className="btn-secondary" disabled={test.isPending || !jwksUrl.trim()} onClick={() => test.mutate({ jwksUrl, allowedAlgs })}>
        {test.isPending ? 'Fetching…' : 'Test fetch'}
      </button>
      <div aria-live="polite" data-testid="jwks-test-result" className="text-sm">
        {test.isError && <ErrorAlert>{urlError.fields.jwksUrl ?? urlError.fields.allowedAlgs ?? urlError.general ?? errorMessage(test.error)}</ErrorAlert>}
        {result && !result.ok && <ErrorAlert>Fetch failed: {result.message}</ErrorAlert>}
        {result && result.ok && (
          <div className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
            <p className="font-medium">
              {result.keys.length} usable key{result.keys.length === 1 ? '' : 's'} found
            </p>
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {result.keys.map((k, i) => (
                <li key={`${k.kid}-${i}`}>
                  kid {k.kid ?? '(none)'} · {k.kty}
                  {k.crv ? ` ${k.crv}` : ''} · {k.algs.join(', ')}
                </li>
              ))}
            </ul>
            {result.skipped.length > 0 && <p className="mt-1 text-xs">Skipped: {result.skipped.join('; ')}</p>}
          </div>
        )}
      </div>
    </div>
  );
}

/** Create (no `existing`) or edit a trust domain. Keys are checked by the server on save. */
export function TrustDomainForm({ tenant, existing, onDone, onCancel }: { tenant: string; existing?: TrustDomainDto; onDone: (td: TrustDomainDto) => void; onCancel: () => void }) {
  const algsId = useId();
  const sourceId = useId();
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [issuer, setIssuer] = useState(existing?.issuer ?? '');
  const [source, setSource] = useState<KeySource>(existing?.jwksUrl ? 'url' : 'jwks');
  const [jwks, setJwks] = useState(existing?.jwks ? JSON.stringify(existing.jwks, null, 2) : '');
  const [jwksUrl, setJwksUrl] = useState(existing?.jwksUrl ?? '');
  const [algs, setAlgs] = useState<string[]>(existing?.allowedAlgs ?? ['RS256', 'ES256']);
  const [lifetime, setLifetime] = useState(String(existing?.maxTokenLifetimeSeconds ?? 3600));
  const create = useCreateTrustDomain(tenant);
  const update = useUpdateTrustDomain(tenant, existing?.id ?? '');
  const mutation = existing ? update : create;
  const errors = formErrors(mutation.error, FIELDS);

  const submit = () => {
    const input: TrustDomainInput = {
      name,
      description,
      issuer: issuer.trim() || null,
      jwks: source === 'jwks' ? jwks : null,
      jwksUrl: source === 'url' ? jwksUrl : null,
      allowedAlgs: algs,
      maxTokenLifetimeSeconds: lifetime,
    };
    mutation.mutate(input, { onSuccess: onDone });
  };

  return (
    <form
      aria-label={existing ? `Edit trust domain ${existing.name}` : 'New trust domain'}
      className="card space-y-4 p-4 md:p-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 className="text-lg font-semibold">{existing ? `Edit ${existing.name}` : 'New trust domain'}</h2>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Name" error={errors.fields.name} hint="The SPIFFE trust domain (e.g. acme.test) or a label for an OAuth issuer.">
          {(c) => <input {...c} className="input font-mono" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Issuer" error={errors.fields.issuer} hint="The iss claim tokens carry. Leave empty for JWT-SVIDs without iss (matched by SPIFFE ID).">
          {(c) => <input {...c} className="input font-mono" value={issuer} onChange={(e) => setIssuer(e.target.value)} placeholder="https://idp.example.com" autoComplete="off" spellCheck={false} />}
        </Field>
        <Field label="Description" error={errors.fields.description} className="md:col-span-2">
          {(c) => <input {...c} className="input" value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Keys</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name={sourceId} checked={source === 'jwks'} onChange={() => setSource('jwks')} /> Inline JWKS
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name={sourceId} checked={source === 'url'} onChange={() => setSource('url')} /> JWKS URL
          </label>
        </div>
        {source === 'jwks' ? (
          <Field label="JWKS (public keys)" error={errors.fields.jwks} hint='Paste {"keys": [ … ]}. Private keys are refused.'>
            {(c) => <textarea {...c} className="input font-mono text-xs" rows={8} value={jwks} onChange={(e) => setJwks(e.target.value)} spellCheck={false} />}
          </Field>
        ) : (
          <div className="space-y-2">
            <Field label="JWKS URL" error={errors.fields.jwksUrl ?? errors.fields.jwks} hint="https only (plain http only on localhost). Fetched and cached by the verifier.">
              {(c) => <input {...c} className="input font-mono" value={jwksUrl} onChange={(e) => setJwksUrl(e.target.value)} placeholder="https://idp.example.com/.well-known/jwks.json" autoComplete="off" spellCheck={false} />}
            </Field>
            <TestFetch tenant={tenant} jwksUrl={jwksUrl} allowedAlgs={algs} />
          </div>
        )}
      </fieldset>

      <fieldset aria-describedby={errors.fields.allowedAlgs ? `${algsId}-error` : `${algsId}-hint`} aria-invalid={errors.fields.allowedAlgs ? true : undefined}>
        <legend className="text-sm font-medium">Allowed algorithms</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2 text-sm">
          {ALGORITHMS.map((alg) => (
            <label key={alg} className="flex items-center gap-1.5 font-mono">
              <input type="checkbox" checked={algs.includes(alg)} onChange={(e) => setAlgs((a) => (e.target.checked ? [...a, alg] : a.filter((x) => x !== alg)))} />
              {alg}
            </label>
          ))}
        </div>
        <p id={`${algsId}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          Asymmetric only: none and HS* are never accepted.
        </p>
        {errors.fields.allowedAlgs && (
          <p id={`${algsId}-error`} className="field-error">
            {errors.fields.allowedAlgs}
          </p>
        )}
      </fieldset>

      <Field label="Maximum token lifetime (seconds)" error={errors.fields.maxTokenLifetimeSeconds} hint="Tokens valid for longer than this (exp − iat) are refused. 3600 = 1 hour." className="sm:w-80">
        {(c) => <input {...c} className="input" type="number" inputMode="numeric" min={60} max={86400} value={lifetime} onChange={(e) => setLifetime(e.target.value)} />}
      </Field>

      <ErrorAlert>{errors.general}</ErrorAlert>
      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : existing ? 'Save changes' : 'Create trust domain'}
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
