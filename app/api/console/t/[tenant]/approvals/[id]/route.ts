import { consoleRoute } from '@/lib/console/route';
import { decideRequest } from '@/lib/requests/approvals';

type P = { tenant: string; id: string };

/** { verdict: 'approve' | 'deny', comment, durationSeconds?, actions?, resource? } */
export const POST = consoleRoute<P>(async ({ session, params, body }) => Response.json(await decideRequest(session.ctx, params.id, body), { status: 200 }));
