import { consoleRoute } from '@/lib/console/route';
import { deleteWebhook, updateWebhook } from '@/lib/webhooks/service';

type P = { tenant: string; id: string };

export const PATCH = consoleRoute<P>(({ session, params, body }) => updateWebhook(session.ctx, params.id, body));

export const DELETE = consoleRoute<P>(({ session, params }) => deleteWebhook(session.ctx, params.id));
