import { consoleRoute } from '@/lib/console/route';
import { sendTestWebhook } from '@/lib/webhooks/service';

type P = { tenant: string; id: string };

export const POST = consoleRoute<P>(({ session, params }) => sendTestWebhook(session.ctx, params.id));
