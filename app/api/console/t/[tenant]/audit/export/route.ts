import { consoleRoute } from '@/lib/console/route';
import { exportAuditEvents } from '@/lib/audit/export';
import { exportFilename, exportResponse } from '@/lib/decision-log/stream';

type P = { tenant: string };

// ?format=csv|ndjson&<filters>: streamed; permission and input are checked before the first byte
export const GET = consoleRoute<P>(async ({ session, query }) => {
  const { format, stream } = exportAuditEvents(session.ctx, query);
  return exportResponse(stream, format, exportFilename('audit', session.tenant.slug, format));
});
