import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AgentsView } from '@/components/agents/agents-view';

export const metadata: Metadata = { title: 'Agents · Toolwarden' };

export default async function AgentsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'agents.read');
  return (
    <AgentsView
      tenant={session.tenant.slug}
      // members may create agents (they become the owner); only security/admin pick another owner
      canCreate={can(session.role, 'agents.manage') || can(session.role, 'agents.manage_own')}
      canChooseOwner={can(session.role, 'agents.manage')}
    />
  );
}
