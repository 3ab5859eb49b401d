import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getTool } from '@/lib/tools/service';
import { ToolDetail } from '@/components/tools/tool-detail';
import type { ToolDetail as ToolDetailData } from '@/components/tools/types';

export const metadata: Metadata = { title: 'Tool · Toolwarden' };

export default async function ToolPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const session = await guardPage(tenant, 'tools.read');
  let tool;
  try {
    tool = await getTool(session.ctx, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  const initialTool = JSON.parse(JSON.stringify(tool)) as ToolDetailData;
  return <ToolDetail tenant={session.tenant.slug} initialTool={initialTool} canManage={can(session.role, 'tools.manage')} />;
}
