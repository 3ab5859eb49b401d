import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { ApprovalsView, type ApprovalsTab } from '@/components/approvals/approvals-view';

export const metadata: Metadata = { title: 'Approvals · Toolwarden' };

const TABS: ApprovalsTab[] = ['waiting', 'all', 'mine', 'break-glass'];

export default async function ApprovalsPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<{ tab?: string }> }) {
  const { tenant } = await params;
  const { tab } = await searchParams;
  const session = await guardPage(tenant, 'tenant.read');
  const initialTab = TABS.includes(tab as ApprovalsTab) ? (tab as ApprovalsTab) : 'waiting';
  return (
    <ApprovalsView
      tenant={session.tenant.slug}
      initialTab={initialTab}
      canRequest={can(session.role, 'requests.create')}
      canBreakGlass={can(session.role, 'grants.break_glass')}
    />
  );
}
