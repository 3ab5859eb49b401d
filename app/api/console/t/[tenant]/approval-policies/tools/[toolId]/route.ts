import { consoleRoute } from '@/lib/console/route';
import { removeToolPolicy } from '@/lib/approval-policies/service';

type P = { tenant: string; toolId: string };

export const DELETE = consoleRoute<P>(({ session, params }) => removeToolPolicy(session.ctx, { toolId: params.toolId }));
