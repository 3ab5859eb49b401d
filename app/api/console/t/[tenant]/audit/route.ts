import { consoleRoute } from '@/lib/console/route';
import { listAuditEvents } from '@/lib/audit/query';

type P = { tenant: string };

/** ?actor&actorType&event&targetType&targetId&range|from|to&cursor&limit: newest first (seq desc) */
export const GET = consoleRoute<P>(({ session, query }) => listAuditEvents(session.ctx, query));
