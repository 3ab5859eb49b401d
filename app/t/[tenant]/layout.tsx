import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { NAV_ITEMS } from '@/components/layout/nav-items';
import { Sidebar } from '@/components/layout/sidebar';
import { QueryProvider } from '@/components/providers/query-provider';

export const dynamic = 'force-dynamic';

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant);
  const items = NAV_ITEMS.filter((i) => can(session.role, i.permission));
  return (
    <QueryProvider>
      <div className="md:flex">
        <Sidebar tenant={session.tenant} items={items} user={session.user} role={session.role} />
        <main className="min-w-0 flex-1 p-4 md:p-8">{children}</main>
      </div>
    </QueryProvider>
  );
}
