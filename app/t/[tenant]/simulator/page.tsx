import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { SimulatorView } from '@/components/simulator/simulator-view';

export const metadata: Metadata = { title: 'Policy simulator · Toolwarden' };

export default async function SimulatorPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'simulator.use');
  return <SimulatorView tenant={session.tenant.slug} />;
}
