import type { Metadata } from 'next';
import { Suspense } from 'react';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { DecisionsView } from '@/components/decisions/decisions-view';

export const metadata: Metadata = { title: 'Decision log · Toolwarden' };

export default async function DecisionsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'decisions.read');
  return (
    <Suspense>
      <DecisionsView tenant={session.tenant.slug} canExport={can(session.role, 'audit.export')} />
    </Suspense>
  );
}
