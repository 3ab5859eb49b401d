import { consoleRoute } from '@/lib/console/route';
import { deleteDenyRule } from '@/lib/deny-rules/service';

type P = { tenant: string; id: string };

export const DELETE = consoleRoute<P>(({ session, params }) => deleteDenyRule(session.ctx, params.id));
