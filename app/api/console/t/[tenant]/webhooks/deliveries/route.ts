import { consoleRoute } from '@/lib/console/route';
import { listWebhookDeliveries } from '@/lib/webhooks/service';

type P = { tenant: string };

/** the delivery log: ?webhookId&status&cursor&limit, newest first */
export const GET = consoleRoute<P>(({ session, query }) => listWebhookDeliveries(session.ctx, query));
