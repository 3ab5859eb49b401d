import { consoleRoute } from '@/lib/console/route';
import { createWebhook, listWebhooks } from '@/lib/webhooks/service';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => listWebhooks(session.ctx));

/** { url, secret?, events?, active? } — answers with the secret, once */
export const POST = consoleRoute<P>(({ session, body }) => createWebhook(session.ctx, body));
