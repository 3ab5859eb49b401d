import { consoleRoute } from '@/lib/console/route';
import { changeMemberRole, removeMember } from '@/lib/members/service';

type P = { tenant: string; id: string };

export const PATCH = consoleRoute<P>(({ session, params, body }) => changeMemberRole(session.ctx, params.id, body));

export const DELETE = consoleRoute<P>(({ session, params }) => removeMember(session.ctx, params.id));
