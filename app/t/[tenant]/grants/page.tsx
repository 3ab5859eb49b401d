import type { Metadata } from 'next';
import { Suspense } from 'react';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { GrantsView } from '@/components/grants/grants-view';

export const metadata: Metadata = { title: 'Grants · Toolwarden' };

export default async function GrantsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'grants.read');
  return (
    <Suspense>
      <GrantsView tenant={session.tenant.slug} canManage={can(session.role, 'grants.manage')} canManageDenyRules={can(session.role, 'deny_rules.manage')} />
    </Suspense>
  );
}
