import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { WebhooksView } from '@/components/webhooks/webhooks-view';

export const metadata: Metadata = { title: 'Webhooks · Toolwarden' };

export default async function WebhooksPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'settings.manage');
  return <WebhooksView tenant={session.tenant.slug} />;
}
