import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db, disconnectDb } from '../../lib/db/client';
import { decideRequest } from '../../lib/requests/approvals';
import { Toolwarden } from '../../sdk/src/index';
import { createPolicyWorld, startApi, within, type PolicyWorld, type RunningApi } from './api-harness';
import { connectClient, startProtectedMcp, text, type RunningMcp } from './mcp-harness';

// A refused call that a person could approve: the model files an access request through the
// server's access-request tool, waits for the outcome, and the retried call is allowed once a
// person approved it in Toolwarden.

let api: RunningApi;
let w: PolicyWorld;
let tw: Toolwarden;
let mcp: RunningMcp;
let client: Client;

beforeAll(async () => {
  w = await createPolicyWorld('mcpesc');
  api = await startApi();
  tw = new Toolwarden({ baseUrl: api.url, serverKey: w.key, mode: 'local' });
  await tw.start();
  mcp = await startProtectedMcp(tw);
  client = await connectClient(mcp.url, await w.mint(w.agents.support.spiffeId, { ttl: 600 }));
});

afterAll(async () => {
  await client?.close().catch(() => {});
  await mcp?.close();
  await tw?.close();
  await api?.close();
  await disconnectDb();
});

describe('escalation from a refused call', () => {
  it('files an access request, waits for the approval, and the retried call runs', async () => {
    const update = () => client.callTool({ name: 'update_invoice', arguments: { id: '9' } });
    const refused = await update();
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('toolwarden_request_access');

    const filed = await client.callTool({
      name: 'toolwarden_request_access',
      arguments: { tool: 'update_invoice', actions: ['write'], resource: 'invoice:9', justification: 'The customer asked to move the due date of invoice 9.' },
    });
    expect(filed.isError).toBeFalsy();
    const requestId = /Access request (\S+) for update_invoice is pending/.exec(text(filed))?.[1];
    expect(requestId).toBeDefined();
    const row = await db().accessRequest.findUniqueOrThrow({ where: { id: requestId! } });
    expect(row).toMatchObject({ agentId: w.agents.support.id, status: 'pending', actions: ['write'], resource: 'invoice:9', requestedByServerId: w.server.id });

    // the model waits (long poll) while a person approves in the console
    const waiting = client.callTool({ name: 'toolwarden_request_access', arguments: { requestId, waitSeconds: 20 } });
    await new Promise((r) => setTimeout(r, 300));
    const decided = await decideRequest(w.t.ctx('security'), requestId!, { verdict: 'approve', comment: 'fine' });
    expect(decided.status).toBe('approved');
    const outcome = await waiting;
    expect(text(outcome)).toContain('was approved');

    await within(2000, async () => !(await update()).isError);
  });

  it('the programmatic helper reports a request nobody has decided yet as pending', async () => {
    const token = await w.mint(w.agents.support.spiffeId);
    const state = await tw.requestAccess(token, { tool: 'create_refund', actions: ['write'], durationSeconds: 600, justification: 'Refund a duplicate charge for a customer.' }, { waitSeconds: 1 });
    expect(state).toMatchObject({ status: 'pending', existing: false });
    expect(state.id).toMatch(/^req_/);
    const again = await tw.requestAccess(token, { tool: 'create_refund', actions: ['write'], durationSeconds: 600, justification: 'Refund a duplicate charge for a customer.' });
    expect(again).toMatchObject({ id: state.id, existing: true });
  });
});
