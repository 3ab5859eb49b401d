import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { ToolsView } from '@/components/tools/tools-view';

export const metadata: Metadata = { title: 'Tools · Toolwarden' };

export default async function ToolsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'tools.read');
  return <ToolsView tenant={session.tenant.slug} canManage={can(session.role, 'tools.manage')} />;
}
