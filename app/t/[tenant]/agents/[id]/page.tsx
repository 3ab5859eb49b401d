import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getAgent } from '@/lib/agents/service';
import { AgentDetail } from '@/components/agents/agent-detail';
import type { AgentDetail as AgentDetailData } from '@/components/agents/types';

export const metadata: Metadata = { title: 'Agent · Toolwarden' };

export default async function AgentPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const session = await guardPage(tenant, 'agents.read');
  let agent;
  try {
    agent = await getAgent(session.ctx, id);
  } catch (err) {
    // another tenant's agent is not found here either: 404, never 403
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  // mirrors the service's rule (security/admin, or a member who owns the agent); the service
  // enforces it again on every mutation
  const canManage = can(session.role, 'agents.manage') || (can(session.role, 'agents.manage_own') && agent.ownerUserId === session.user.id);
  // the client cache holds the API's JSON shape (ISO date strings), so seed it with the same
  const initialAgent = JSON.parse(JSON.stringify(agent)) as AgentDetailData;
  return <AgentDetail tenant={session.tenant.slug} initialAgent={initialAgent} canManage={canManage} canChooseOwner={can(session.role, 'agents.manage')} />;
}
