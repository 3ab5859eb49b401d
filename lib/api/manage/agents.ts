import { z } from '@hono/zod-openapi';
import { createAgent, deleteAgent, getAgent, listAgents, setAgentStatus, updateAgent } from '../../agents/service';
import { createIdentity, deleteIdentity, setIdentityStatus } from '../../agents/identities';
import { agentListQuerySchema, createAgentSchema, createIdentitySchema, updateAgentSchema } from '../../agents/schemas';
import { listAgentGrants } from '../../grants/service';
import { grantListQuerySchema } from '../../grants/schemas';
import { parseInput } from '../../validation';
import type { MachineApi } from '../app';
import { idParam, pageQuery, registerOps } from './shared';

// Agents and their workload identities (agents.manage, or agents.manage_own for a member's own).

// setAgentStatus / setIdentityStatus take an already-typed status, so the body is checked here,
// as the console's handlers do
const agentStatusBody = z.object({ status: z.enum(['active', 'suspended']) });
const identityStatusBody = z.object({ status: z.enum(['active', 'disabled']) });

export function registerAgentRoutes(app: MachineApi): void {
  registerOps(app, 'manage: agents', [
    { method: 'get', path: '/api/v1/manage/agents', summary: 'List agents', description: 'Newest first; `q` matches name and description.', query: pageQuery(agentListQuerySchema), run: (ctx, r) => listAgents(ctx, r.query) },
    { method: 'post', path: '/api/v1/manage/agents', summary: 'Create an agent', body: createAgentSchema, status: 201, run: (ctx, r) => createAgent(ctx, r.body) },
    { method: 'get', path: '/api/v1/manage/agents/{id}', summary: 'Get an agent with its identities', params: idParam, run: (ctx, r) => getAgent(ctx, r.params.id) },
    { method: 'patch', path: '/api/v1/manage/agents/{id}', summary: 'Update an agent', params: idParam, body: updateAgentSchema, run: (ctx, r) => updateAgent(ctx, r.params.id, r.body) },
    { method: 'delete', path: '/api/v1/manage/agents/{id}', summary: 'Delete an agent (its identities and grants go with it)', params: idParam, run: (ctx, r) => deleteAgent(ctx, r.params.id) },
    {
      method: 'post',
      path: '/api/v1/manage/agents/{id}/status',
      summary: 'Suspend or reactivate an agent',
      params: idParam,
      body: agentStatusBody,
      run: (ctx, r) => setAgentStatus(ctx, r.params.id, parseInput(agentStatusBody, r.body).status),
    },
    {
      method: 'get',
      path: '/api/v1/manage/agents/{id}/grants',
      summary: 'List an agent’s grants',
      description: 'The grants list’s filters apply; `includeRevoked=true` adds revoked grants.',
      params: idParam,
      query: pageQuery(grantListQuerySchema.omit({ agentId: true })),
      run: (ctx, r) => listAgentGrants(ctx, r.params.id, r.query),
    },
    { method: 'post', path: '/api/v1/manage/agents/{id}/identities', summary: 'Bind a workload identity to an agent', params: idParam, body: createIdentitySchema, status: 201, run: (ctx, r) => createIdentity(ctx, r.params.id, r.body) },
    {
      method: 'post',
      path: '/api/v1/manage/identities/{id}/status',
      summary: 'Disable or enable an identity',
      params: idParam,
      body: identityStatusBody,
      run: (ctx, r) => setIdentityStatus(ctx, r.params.id, parseInput(identityStatusBody, r.body).status),
    },
    { method: 'delete', path: '/api/v1/manage/identities/{id}', summary: 'Delete an identity', params: idParam, run: (ctx, r) => deleteIdentity(ctx, r.params.id) },
  ]);
}
