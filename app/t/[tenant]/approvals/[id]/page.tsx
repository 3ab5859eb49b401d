import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { AppError } from '@/lib/errors';
import { getAccessRequestDetail } from '@/lib/requests/console-requests';
import { RequestDetail } from '@/components/approvals/request-detail';

export const metadata: Metadata = { title: 'Access request · Toolwarden' };

export default async function RequestPage({ params, searchParams }: { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<{ filed?: string }> }) {
  const { tenant, id } = await params;
  const { filed } = await searchParams;
  const session = await guardPage(tenant, 'tenant.read');
  let detail;
  try {
    detail = await getAccessRequestDetail(session.ctx, id);
  } catch (err) {
    // another tenant's request is not found here either: 404, never 403
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  return <RequestDetail tenant={session.tenant.slug} initial={detail} justFiled={filed === '1'} />;
}
