import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { ServersView } from '@/components/servers/servers-view';

export const metadata: Metadata = { title: 'Servers & keys · Toolwarden' };

export default async function ServersPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'servers.read');
  return <ServersView tenant={session.tenant.slug} canManage={can(session.role, 'servers.manage')} />;
}
