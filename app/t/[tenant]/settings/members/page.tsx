import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { MembersView } from '@/components/members/members-view';

export const metadata: Metadata = { title: 'Members · Toolwarden' };

export default async function MembersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'tenant.read');
  return <MembersView tenant={session.tenant.slug} canManage={can(session.role, 'members.manage')} currentUserId={session.user.id} />;
}
