import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getGrant } from '@/lib/grants/service';
import { GrantDetail } from '@/components/grants/grant-detail';
import type { GrantDetailDto } from '@/components/grants/types';

export const metadata: Metadata = { title: 'Grant · Toolwarden' };

export default async function GrantPage({ params, searchParams }: { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant, id } = await params;
  const session = await guardPage(tenant, 'grants.read');
  let grant;
  try {
    grant = await getGrant(session.ctx, id);
  } catch (err) {
    // another tenant's grant is not found here either: 404, never 403
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  // the client cache holds the API's JSON shape (ISO date strings), so seed it with the same
  const initialGrant = JSON.parse(JSON.stringify(grant)) as GrantDetailDto;
  return <GrantDetail tenant={session.tenant.slug} initialGrant={initialGrant} canManage={can(session.role, 'grants.manage')} justCreated={(await searchParams).created === '1'} />;
}
