import { consoleRoute } from '@/lib/console/route';
import { revokeApiToken } from '@/lib/api-tokens/service';

export const DELETE = consoleRoute<{ tenant: string; id: string }>(async ({ session, params }) => revokeApiToken(session.ctx, params.id));
