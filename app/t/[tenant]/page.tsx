import { guardPage } from '@/lib/console/page-guard';
import { NotBuiltYet } from '@/components/layout/not-built-yet';

export default async function OverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await guardPage(tenant, 'tenant.read');
  return <NotBuiltYet title="Overview" what="The overview dashboard (decisions over time, top denials, pending approvals, expiring grants)" />;
}
