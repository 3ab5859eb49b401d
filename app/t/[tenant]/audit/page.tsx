import type { Metadata } from 'next';
import { Suspense } from 'react';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AuditView } from '@/components/audit/audit-view';

export const metadata: Metadata = { title: 'Audit trail · Toolwarden' };

export default async function AuditPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'audit.read');
  return (
    <Suspense>
      <AuditView tenant={session.tenant.slug} canExport={can(session.role, 'audit.export')} canManageRetention={can(session.role, 'settings.manage')} />
    </Suspense>
  );
}
