import { SignInForm } from '@/components/auth/sign-in-form';

export const dynamic = 'force-dynamic';

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const oidcName = process.env.AUTH_OIDC_ISSUER && process.env.AUTH_OIDC_CLIENT_ID ? (process.env.AUTH_OIDC_NAME ?? 'Single sign-on') : null;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h1 className="text-xl font-semibold">Sign in to Toolwarden</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Governance for MCP tool access</p>
        <SignInForm callbackUrl={sp.callbackUrl ?? '/'} oidcName={oidcName} initialError={sp.error ? 'Sign-in failed. Try again.' : undefined} />
      </div>
    </main>
  );
}
