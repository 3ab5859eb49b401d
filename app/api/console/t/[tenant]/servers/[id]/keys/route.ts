import { consoleRoute } from '@/lib/console/route';
import { createServerKey } from '@/lib/servers/keys';
import { listServerKeysPage } from '@/lib/servers/key-list';

type P = { tenant: string; id: string };

/** ?state=active|all&cursor&limit: prefixes only, never a secret or its hash */
export const GET = consoleRoute<P>(({ session, params, query }) => listServerKeysPage(session.ctx, params.id, query));

/** the full key is in this response and nowhere else, ever */
export const POST = consoleRoute<P>(async ({ session, params, body }) => {
  const created = await createServerKey(session.ctx, params.id, body ?? {});
  return Response.json(created, { status: 201, headers: { 'cache-control': 'no-store' } });
});
