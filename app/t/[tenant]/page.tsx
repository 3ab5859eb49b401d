import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { OverviewView } from '@/components/overview/overview-view';

export const metadata: Metadata = { title: 'Overview · Toolwarden' };

export default async function OverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'tenant.read');
  return <OverviewView tenant={session.tenant.slug} />;
}
