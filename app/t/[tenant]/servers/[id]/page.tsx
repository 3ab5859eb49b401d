import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getServer } from '@/lib/servers/service';
import { ServerDetail } from '@/components/servers/server-detail';
import type { ServerDto } from '@/components/servers/types';

export const metadata: Metadata = { title: 'Server · Toolwarden' };

export default async function ServerPage({ params, searchParams }: { params: Promise<{ tenant: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tenant, id } = await params;
  const session = await guardPage(tenant, 'servers.read');
  let server;
  try {
    server = await getServer(session.ctx, id);
  } catch (err) {
    // another tenant's server is not found here either: 404, never 403
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  // the client cache holds the API's JSON shape (ISO date strings), so seed it with the same
  const initialServer = JSON.parse(JSON.stringify(server)) as ServerDto;
  return (
    <ServerDetail
      tenant={session.tenant.slug}
      initialServer={initialServer}
      canManage={can(session.role, 'servers.manage')}
      canManageKeys={can(session.role, 'server_keys.manage')}
      canManageTools={can(session.role, 'tools.manage')}
      justCreated={(await searchParams).created === '1'}
    />
  );
}
