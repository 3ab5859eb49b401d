'use client';

import { CopyButton } from '@/components/ui/copy-button';

/**
 * The new user's initial password, shown once: only its hash is stored, so once this is
 * dismissed nobody can see it again.
 */
export function InitialPasswordNotice({ email, password, onDone }: { email: string; password: string; onDone: () => void }) {
  return (
    <div role="status" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <p>
        <strong>{email}</strong> was created with this initial password. Copy it now and hand it over securely: it is shown only once.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid="initial-password" className="select-all rounded bg-white px-2 py-1 font-mono text-base text-slate-900 dark:bg-slate-900 dark:text-slate-100">
          {password}
        </code>
        <CopyButton text={password} label="Copy password" />
        <button type="button" className="btn-secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
