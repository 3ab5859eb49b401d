import { z } from '@hono/zod-openapi';
import { toolGrantPolicy } from '../../grants/options';
import { listToolVersions } from '../../tools/history';
import { classifyToolSchema, createToolSchema, toolListQuerySchema, toolOwnerSchema, toolStatusSchema, updateToolSchema } from '../../tools/manage-schemas';
import { addToolOwner, classifyTool, createTool, getTool, listTools, markToolDefinitionReviewed, removeToolOwner, setToolStatus, updateTool } from '../../tools/service';
import type { MachineApi } from '../app';
import { idParam, objectId, pageQuery, registerOps } from './shared';

// The tool catalog: tools arrive by sync or are added here, stay unclassified (every call
// denied) until classified, and keep a definition history. Changes need tools.manage.

const ownerParams = idParam.extend({ userId: objectId });

export function registerToolRoutes(app: MachineApi): void {
  registerOps(app, 'manage: tools', [
    {
      method: 'get',
      path: '/api/v1/manage/tools',
      summary: 'List tools',
      description: '`changed=1`: only tools whose definition changed and has not been reviewed since.',
      query: pageQuery(toolListQuerySchema),
      run: (ctx, r) => listTools(ctx, r.query),
    },
    {
      method: 'post',
      path: '/api/v1/manage/tools',
      summary: 'Add a tool by hand',
      description: 'Created unclassified. A duplicate name on the server is a 409.',
      body: createToolSchema,
      status: 201,
      run: (ctx, r) => createTool(ctx, r.body),
    },
    { method: 'get', path: '/api/v1/manage/tools/{id}', summary: 'Get a tool with its owners', params: idParam, run: (ctx, r) => getTool(ctx, r.params.id) },
    {
      method: 'patch',
      path: '/api/v1/manage/tools/{id}',
      summary: 'Edit a tool’s title, description or input schema',
      description: 'A definition change is versioned and flagged for review when grants are live on the tool.',
      params: idParam,
      body: updateToolSchema,
      run: (ctx, r) => updateTool(ctx, r.params.id, r.body),
    },
    {
      method: 'post',
      path: '/api/v1/manage/tools/{id}/classify',
      summary: 'Classify a tool (risk, default action, sensitivity)',
      description: 'An unclassified tool becomes active; a disabled one stays disabled.',
      params: idParam,
      body: classifyToolSchema,
      run: (ctx, r) => classifyTool(ctx, r.params.id, r.body),
    },
    {
      method: 'post',
      path: '/api/v1/manage/tools/{id}/status',
      summary: 'Disable or enable a tool',
      description: 'Enabling needs a classification first (400).',
      params: idParam,
      body: toolStatusSchema,
      run: (ctx, r) => setToolStatus(ctx, r.params.id, r.body),
    },
    {
      method: 'post',
      path: '/api/v1/manage/tools/{id}/review-definition',
      summary: 'Mark a changed definition as reviewed',
      description: 'No body. Clears the "definition changed under live grants" flag.',
      params: idParam,
      run: (ctx, r) => markToolDefinitionReviewed(ctx, r.params.id),
    },
    { method: 'get', path: '/api/v1/manage/tools/{id}/versions', summary: 'A tool’s definition history', description: 'Newest first, each with a line diff against the version before it.', params: idParam, query: pageQuery(z.object({})), run: (ctx, r) => listToolVersions(ctx, r.params.id, r.query) },
    {
      method: 'post',
      path: '/api/v1/manage/tools/{id}/owners',
      summary: 'Add a tool owner',
      description: 'A member of this tenant; owners approve requests and certify grants for the tool. Already an owner: 409.',
      params: idParam,
      body: toolOwnerSchema,
      status: 201,
      run: (ctx, r) => addToolOwner(ctx, r.params.id, r.body),
    },
    { method: 'delete', path: '/api/v1/manage/tools/{id}/owners/{userId}', summary: 'Remove a tool owner', params: ownerParams, run: (ctx, r) => removeToolOwner(ctx, r.params.id, r.params.userId) },
    {
      method: 'get',
      path: '/api/v1/manage/tools/{id}/grant-policy',
      summary: 'The guardrails a grant on this tool must respect',
      description: 'From the tool’s effective approval policy: whether standing grants are allowed, maximum duration, single use.',
      params: idParam,
      run: (ctx, r) => toolGrantPolicy(ctx, r.params.id),
    },
  ]);
}
