import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { TrustDomainsView } from '@/components/trust-domains/trust-domains-view';

export const metadata: Metadata = { title: 'Trust domains · Toolwarden' };

export default async function TrustDomainsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'trust_domains.manage');
  return <TrustDomainsView tenant={session.tenant.slug} />;
}
