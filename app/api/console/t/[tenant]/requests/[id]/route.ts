import { consoleRoute } from '@/lib/console/route';
import { getAccessRequestDetail } from '@/lib/requests/console-requests';

type P = { tenant: string; id: string };

export const GET = consoleRoute<P>(({ session, params }) => getAccessRequestDetail(session.ctx, params.id));
