import { consoleRoute } from '@/lib/console/route';
import { createApiToken, listOwnApiTokens } from '@/lib/api-tokens/service';

export const GET = consoleRoute(async ({ session }) => ({ items: await listOwnApiTokens(session.ctx) }));
export const POST = consoleRoute(async ({ session, body }) => createApiToken(session.ctx, body));
