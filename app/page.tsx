import { redirect } from 'next/navigation';
import { currentUser, userTenants } from '@/lib/auth/console-context';

export const dynamic = 'force-dynamic';

/** Home: the first tenant of the signed-in user, or sign-in. */
export default async function Home() {
  const user = await currentUser();
  if (!user) redirect('/signin');
  const tenants = await userTenants(user.id);
  if (tenants.length === 0) {
    return (
      <main className="mx-auto max-w-md p-8">
        <h1 className="text-xl font-semibold">No tenant yet</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Your account is not a member of any tenant. Ask an admin to add you.</p>
      </main>
    );
  }
  redirect(`/t/${tenants[0].slug}`);
}
