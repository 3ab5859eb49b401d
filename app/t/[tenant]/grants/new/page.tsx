import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { GrantForm } from '@/components/grants/grant-form';

export const metadata: Metadata = { title: 'New grant · Toolwarden' };

/** ?agentId=…&toolId=… preselect (from an agent's page or the matrix) */
export default async function NewGrantPage({ params, searchParams }: { params: Promise<{ tenant: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant } = await params;
  // members request access instead (approvals); they never see this form
  const session = await guardPage(tenant, 'grants.manage');
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">New grant</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">A standing grant lets an agent call a tool within the scope below. High and critical tools take no standing grants: access to them is requested and approved just in time.</p>
      </div>
      <GrantForm tenant={session.tenant.slug} mode={{ kind: 'create', agentId: one(sp.agentId), toolId: one(sp.toolId) }} />
    </div>
  );
}
