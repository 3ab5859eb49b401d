import { consoleRoute } from '@/lib/console/route';
import { addMember, listMembers } from '@/lib/members/service';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => listMembers(session.ctx));

/** the response carries initialPassword once when a new user was created; it is never stored in clear */
export const POST = consoleRoute<P>(({ session, body }) => addMember(session.ctx, body));
