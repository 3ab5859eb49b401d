import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getReviewCampaign } from '@/lib/reviews/service';
import { CampaignDetail } from '@/components/reviews/campaign-detail';

export const metadata: Metadata = { title: 'Access review · Toolwarden' };

export default async function CampaignPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { tenant, id } = await params;
  const session = await guardPage(tenant, 'tenant.read');
  let campaign;
  try {
    campaign = await getReviewCampaign(session.ctx, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  return <CampaignDetail tenant={session.tenant.slug} initial={campaign} canExport={can(session.role, 'reviews.manage') || can(session.role, 'audit.export')} />;
}
