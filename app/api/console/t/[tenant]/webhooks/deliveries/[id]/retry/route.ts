import { consoleRoute } from '@/lib/console/route';
import { retryWebhookDelivery } from '@/lib/webhooks/service';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(async ({ session, params }) => Response.json(await retryWebhookDelivery(session.ctx, params.id), { status: 200 }));
