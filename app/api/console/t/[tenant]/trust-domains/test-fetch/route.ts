import { consoleRoute } from '@/lib/console/route';
import { testJwksUrl } from '@/lib/trust-domains/test-fetch';

type P = { tenant: string };

/** { jwksUrl, allowedAlgs } → the keys found (200 either way; a refused URL is a 400) */
export const POST = consoleRoute<P>(async ({ session, body }) => Response.json(await testJwksUrl(session.ctx, body)));
