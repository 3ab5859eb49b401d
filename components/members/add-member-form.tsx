'use client';

import { useState } from 'react';
import type { Role } from '@/lib/auth/permissions';
import { Field } from '@/components/ui/field';
import { ErrorAlert, SuccessNote } from '@/components/ui/alert';
import { formErrors } from '@/components/ui/form-errors';
import { InitialPasswordNotice } from './initial-password-notice';
import { useAddMember } from './queries';
import { ROLE_OPTIONS, ROLE_SUMMARY } from './roles';
import type { AddMemberResult } from './types';

const FIELDS = ['email', 'name', 'role'] as const;

export function AddMemberForm({ tenant }: { tenant: string }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  // kept outside the mutation so adding another member does not hide a password not yet copied
  const [added, setAdded] = useState<AddMemberResult | null>(null);
  const add = useAddMember(tenant);
  const errors = formErrors(add.error, FIELDS);

  return (
    <div className="space-y-4">
      {added?.initialPassword ? (
        <InitialPasswordNotice email={added.user.email} password={added.initialPassword} onDone={() => setAdded(null)} />
      ) : (
        added && <SuccessNote>{added.user.email} already had an account and was added; they sign in with their existing password.</SuccessNote>
      )}
      <form
        aria-label="Add member"
        className="card space-y-4 p-4 md:p-6"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate(
            { email, role, ...(name.trim() ? { name } : {}) },
            {
              onSuccess: (result) => {
                setAdded(result);
                setEmail('');
                setName('');
                setRole('member');
              },
            },
          );
        }}
      >
        <h2 className="text-lg font-semibold">Add a member</h2>
        <div className="grid gap-4 md:grid-cols-3">
          <Field label="E-mail" error={errors.fields.email}>
            {(c) => <input {...c} type="email" className="input" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" required />}
          </Field>
          <Field label="Name" error={errors.fields.name} hint="Optional for a new user; defaults to the e-mail's local part.">
            {(c) => <input {...c} className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
          </Field>
          <Field label="Role" error={errors.fields.role} hint={ROLE_SUMMARY[role]}>
            {(c) => (
              <select {...c} className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLE_OPTIONS.map((r) => (
                  <option key={r.value} value={r.value}>
                    {r.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ErrorAlert>{errors.general}</ErrorAlert>
        <button type="submit" className="btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add member'}
        </button>
      </form>
    </div>
  );
}
