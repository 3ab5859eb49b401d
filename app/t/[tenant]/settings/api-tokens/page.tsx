import { guardPage } from '@/lib/console/page-guard';
import { ApiTokensView } from '@/components/api-tokens/api-tokens-view';

export default async function ApiTokensPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await guardPage(tenant, 'api_tokens.own');
  return <ApiTokensView tenant={tenant} />;
}
