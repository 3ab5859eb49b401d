import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { PoliciesView } from '@/components/approval-policies/policies-view';

export const metadata: Metadata = { title: 'Approval policies · Toolwarden' };

export default async function ApprovalPoliciesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'settings.manage');
  return <PoliciesView tenant={session.tenant.slug} />;
}
