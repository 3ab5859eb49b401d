import { createRoute } from '@hono/zod-openapi';
import { AppError } from '../../errors';
import { pgPool } from '../../db/pool';
import { insertDecisionRows, type DecisionLogRow } from '../../decisions/log-writer';
import type { MachineApi } from '../app';
import { commonErrors } from '../responses';
import { DecisionLogUploadResponseSchema, DecisionLogUploadSchema, serverKeySecurity } from '../schemas';

const route = createRoute({
  method: 'post',
  path: '/api/v1/decision-logs',
  summary: 'Upload decisions made locally from a snapshot',
  description: 'Idempotent by decisionId: re-sending the same entries stores nothing twice.',
  security: serverKeySecurity,
  request: { body: { required: true, content: { 'application/json': { schema: DecisionLogUploadSchema } } } },
  responses: { 202: { description: 'Accepted', content: { 'application/json': { schema: DecisionLogUploadResponseSchema } } }, ...commonErrors },
});

const MAX_FUTURE_MS = 5 * 60_000;

export function registerDecisionLogRoutes(app: MachineApi): void {
  app.openapi(route, async (c) => {
    const server = c.get('server');
    const { entries } = c.req.valid('json');
    const now = Date.now();
    const bad = entries.findIndex((e) => Date.parse(e.time) > now + MAX_FUTURE_MS);
    if (bad >= 0) throw new AppError('invalid_request', 'An entry is timestamped in the future', { invalidParams: [{ name: `entries.${bad}.time`, reason: 'more than 5 minutes ahead of the server clock' }] });
    // tenant and server always come from the key, never from the body
    const rows: DecisionLogRow[] = entries.map((e) => ({
      id: e.decisionId,
      time: new Date(e.time),
      tenantId: server.tenantId,
      serverId: server.serverId,
      identityId: e.identityId ?? null,
      agentId: e.agentId ?? null,
      subject: e.subject ?? null,
      onBehalfOf: e.onBehalfOf ?? null,
      tool: e.tool,
      toolId: null,
      action: e.action ?? null,
      resource: e.resource ?? null,
      allow: e.allow,
      reason: e.reason,
      authnReason: e.authnReason ?? null,
      grantId: e.grantId ?? null,
      taskId: e.taskId ?? null,
      latencyUs: e.latencyUs ?? 0,
      requestId: c.get('requestId'),
      source: 'local',
      explanation: e.explanation ?? null,
      context: null,
    }));
    let stored: number;
    try {
      stored = await insertDecisionRows(pgPool(), rows);
    } catch {
      throw new AppError('unavailable', 'The decision log cannot be written right now; keep the entries and retry.');
    }
    return c.json({ received: rows.length, stored, duplicates: rows.length - stored }, 202);
  });
}
