'use client';

import { useActionState } from 'react';
import { signInWithOidc, signInWithPassword, type SignInState } from '@/app/signin/actions';

export function SignInForm({ callbackUrl, oidcName, initialError }: { callbackUrl: string; oidcName: string | null; initialError?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, { error: initialError });
  return (
    <div className="mt-6 space-y-4">
      <form action={action} className="space-y-4">
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <label className="block text-sm">
          <span className="font-medium">E-mail</span>
          <input name="email" type="email" autoComplete="username" required className="input mt-1" />
        </label>
        <label className="block text-sm">
          <span className="font-medium">Password</span>
          <input name="password" type="password" autoComplete="current-password" required className="input mt-1" />
        </label>
        {state.error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {state.error}
          </p>
        )}
        <button type="submit" disabled={pending} className="btn-primary w-full">
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oidcName && (
        <form action={signInWithOidc}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button type="submit" className="btn-secondary w-full">
            Continue with {oidcName}
          </button>
        </form>
      )}
    </div>
  );
}
