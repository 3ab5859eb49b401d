import { consoleRoute } from '@/lib/console/route';
import { getRetentionSettings, updateRetentionSettings } from '@/lib/decision-log/retention-settings';

type P = { tenant: string };

export const GET = consoleRoute<P>(({ session }) => getRetentionSettings(session.ctx));

/** { decisionRetentionDays } (admin) */
export const PATCH = consoleRoute<P>(({ session, body }) => updateRetentionSettings(session.ctx, body));
