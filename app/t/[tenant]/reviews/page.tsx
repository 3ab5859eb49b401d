import type { Metadata } from 'next';
import { guardPage } from '@/lib/console/page-guard';
import { can } from '@/lib/auth/permissions';
import { ReviewsView } from '@/components/reviews/reviews-view';

export const metadata: Metadata = { title: 'Access reviews · Toolwarden' };

export default async function ReviewsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const session = await guardPage(tenant, 'tenant.read');
  return <ReviewsView tenant={session.tenant.slug} canManage={can(session.role, 'reviews.manage')} />;
}
