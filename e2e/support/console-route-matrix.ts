import { can, ROLES, type Permission, type Role } from '../../lib/auth/permissions';
import type { Kit } from './console-route-kit';
import { LOW_RULE } from './console-route-kit';
import type { TenantUser } from './second-tenant';

// The console's authorization matrix, checked in: one entry per route and method under
// app/api/console/t/[tenant]. The security spec reads the routes from disk and fails when this
// table misses one (or names one that is gone), so a new route cannot ship untested.
//
// A mutation names the permission(s) that let a caller through (any one suffices); which roles
// that means comes from ROLE_PERMISSIONS, never from a list here. Its fixture builds, for the
// acting user, what a successful call needs (a fresh object, a valid body, the ownership the
// rule asks for), so "allowed" must really succeed and "refused" must refuse something that
// would otherwise have worked. `refusals` are the rules inside a permission (a member's own
// agents, four eyes, tool ownership): cases that must be refused although the role holds it.
//
// `ids` says what kind of object each path parameter names: the tenant-isolation test fills
// them with another tenant's objects.

export type ObjectKind =
  | 'agent'
  | 'identity'
  | 'trustDomain'
  | 'server'
  | 'serverKey'
  | 'tool'
  | 'toolOwnerUser'
  | 'policyTool'
  | 'grant'
  | 'denyRule'
  | 'request'
  | 'approvedRequest'
  | 'campaign'
  | 'reviewItem'
  | 'breakGlass'
  | 'webhook'
  | 'delivery'
  | 'member'
  | 'apiToken'
  | 'decision';

export interface Fixture {
  params: Record<string, string>;
  body?: unknown;
}
export type FixtureFactory = (kit: Kit, actor: TenantUser) => Promise<Fixture>;

export interface Refusal {
  why: string;
  /** roles this rule applies to, derived from permissions */
  appliesTo: (role: Role) => boolean;
  fixture: FixtureFactory;
  status: 403 | 404;
}

export interface MutationEntry {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  anyOf: Permission[];
  /** a successful call writes at least one audit event (false: checks that change nothing) */
  audited: boolean;
  ids?: Record<string, ObjectKind>;
  fixture: FixtureFactory;
  refusals?: Refusal[];
  /** a body naming another tenant's object instead (the isolation test expects 400/404) */
  foreignBody?: (kit: Kit, other: Record<ObjectKind, string>) => Promise<Fixture>;
}

export interface ReadEntry {
  method: 'GET';
  pattern: string;
  ids?: Record<string, ObjectKind>;
}

export type MatrixEntry = MutationEntry | ReadEntry;
export const isMutation = (e: MatrixEntry): e is MutationEntry => e.method !== 'GET';

/** the roles a mutation must succeed for: those holding any of its permissions */
export function allowedRoles(e: MutationEntry): Role[] {
  return ROLES.filter((r) => e.anyOf.some((p) => can(r, p)));
}

const ownOnly = (r: Role) => can(r, 'agents.manage_own') && !can(r, 'agents.manage');
const memberOwnerOnly = (r: Role) => can(r, 'requests.approve_as_owner') && !can(r, 'requests.approve_as_security') && !can(r, 'reviews.manage');

/** an agent the actor may manage: owned by them (security/admin manage every agent anyway) */
const ownAgent = (kit: Kit, actor: TenantUser) => kit.agent({ ownerUserId: actor.userId });
const othersAgent = (kit: Kit) => kit.agent({ ownerUserId: kit.user('filer').userId });

/** a pending request on a fresh medium tool (owners or security approve) owned by the actor */
async function requestToDecide(kit: Kit, actor: TenantUser, makeOwner: boolean) {
  const tool = await kit.tool({ risk: 'medium' });
  if (makeOwner) await kit.toolOwner(tool.id, actor.userId);
  return kit.accessRequest(kit.user('filer'), tool.id);
}

/** a review item on a grant of a fresh tool; the actor owns the tool when asked */
async function itemToReview(kit: Kit, actor: TenantUser, makeOwner: boolean) {
  const tool = await kit.tool({ risk: 'low' });
  if (makeOwner) await kit.toolOwner(tool.id, actor.userId);
  const grant = await kit.grant({ toolId: tool.id });
  const { campaignId, itemId } = await kit.reviewItem(grant.id);
  return { params: { id: campaignId, itemId }, body: { verdict: 'keep', note: 'still needed' } };
}

const S = (pattern: string, ids?: Record<string, ObjectKind>): ReadEntry => ({ method: 'GET', pattern, ids });

export const CONSOLE_ROUTE_MATRIX: MatrixEntry[] = [
  // ---- agents and identities ----
  S('/agents'),
  {
    method: 'POST',
    pattern: '/agents',
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { name: kit.name('new-agent'), description: 'matrix' } }),
    foreignBody: async (kit, o) => ({ params: {}, body: { name: kit.name('x-agent'), ownerUserId: o.toolOwnerUser } }),
  },
  S('/agents/[id]', { id: 'agent' }),
  {
    method: 'PATCH',
    pattern: '/agents/[id]',
    ids: { id: 'agent' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await ownAgent(kit, actor)).id }, body: { description: 'changed by the matrix' } }),
    refusals: [{ why: "a member editing someone else's agent", appliesTo: ownOnly, status: 403, fixture: async (kit) => ({ params: { id: (await othersAgent(kit)).id }, body: { description: 'x' } }) }],
  },
  {
    method: 'DELETE',
    pattern: '/agents/[id]',
    ids: { id: 'agent' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await ownAgent(kit, actor)).id } }),
    refusals: [{ why: "a member deleting someone else's agent", appliesTo: ownOnly, status: 403, fixture: async (kit) => ({ params: { id: (await othersAgent(kit)).id } }) }],
  },
  S('/agents/[id]/decisions', { id: 'agent' }),
  S('/agents/[id]/grants', { id: 'agent' }),
  S('/agents/[id]/requests', { id: 'agent' }),
  {
    method: 'POST',
    pattern: '/agents/[id]/status',
    ids: { id: 'agent' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await ownAgent(kit, actor)).id }, body: { status: 'suspended' } }),
    refusals: [
      { why: "a member suspending someone else's agent", appliesTo: ownOnly, status: 403, fixture: async (kit) => ({ params: { id: (await othersAgent(kit)).id }, body: { status: 'suspended' } }) },
    ],
  },
  {
    method: 'POST',
    pattern: '/agents/[id]/identities',
    ids: { id: 'agent' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({
      params: { id: (await ownAgent(kit, actor)).id },
      body: { trustDomainId: kit.base.trustDomainId, kind: 'spiffe_jwt', subject: `spiffe://${kit.base.trustDomainName}/agents/${kit.name('wl')}` },
    }),
    refusals: [
      {
        why: "a member binding an identity to someone else's agent",
        appliesTo: ownOnly,
        status: 403,
        fixture: async (kit) => ({
          params: { id: (await othersAgent(kit)).id },
          body: { trustDomainId: kit.base.trustDomainId, kind: 'spiffe_jwt', subject: `spiffe://${kit.base.trustDomainName}/agents/${kit.name('wl')}` },
        }),
      },
    ],
    foreignBody: async (kit, o) => ({
      params: { id: (await kit.agent()).id },
      body: { trustDomainId: o.trustDomain, kind: 'oauth_client', subject: kit.name('client') },
    }),
  },
  {
    method: 'DELETE',
    pattern: '/identities/[id]',
    ids: { id: 'identity' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await kit.identity((await ownAgent(kit, actor)).id)).id } }),
    refusals: [
      { why: "a member deleting an identity of someone else's agent", appliesTo: ownOnly, status: 403, fixture: async (kit) => ({ params: { id: (await kit.identity((await othersAgent(kit)).id)).id } }) },
    ],
  },
  {
    method: 'POST',
    pattern: '/identities/[id]/status',
    ids: { id: 'identity' },
    anyOf: ['agents.manage', 'agents.manage_own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await kit.identity((await ownAgent(kit, actor)).id)).id }, body: { status: 'disabled' } }),
    refusals: [
      {
        why: "a member disabling an identity of someone else's agent",
        appliesTo: ownOnly,
        status: 403,
        fixture: async (kit) => ({ params: { id: (await kit.identity((await othersAgent(kit)).id)).id }, body: { status: 'disabled' } }),
      },
    ],
  },

  // ---- personal API tokens ----
  S('/api-tokens'),
  { method: 'POST', pattern: '/api-tokens', anyOf: ['api_tokens.own'], audited: true, fixture: async (kit) => ({ params: {}, body: { name: kit.name('token') } }) },
  {
    method: 'DELETE',
    pattern: '/api-tokens/[id]',
    ids: { id: 'apiToken' },
    anyOf: ['api_tokens.own'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await kit.apiToken(actor)).id } }),
    // someone else's token is not found, like another tenant's
    refusals: [{ why: "revoking another user's API token", appliesTo: (r) => can(r, 'api_tokens.own'), status: 404, fixture: async (kit) => ({ params: { id: (await kit.apiToken(kit.user('filer'))).id } }) }],
  },

  // ---- approval policies ----
  S('/approval-policies'),
  { method: 'PATCH', pattern: '/approval-policies', anyOf: ['settings.manage'], audited: true, fixture: async () => ({ params: {}, body: { risk: 'low', ...LOW_RULE } }) },
  S('/approval-policies/tools'),
  {
    method: 'POST',
    pattern: '/approval-policies/tools',
    anyOf: ['settings.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { toolId: (await kit.tool({ risk: 'low' })).id, ...LOW_RULE } }),
    foreignBody: async (_kit, o) => ({ params: {}, body: { toolId: o.tool, ...LOW_RULE } }),
  },
  {
    method: 'DELETE',
    pattern: '/approval-policies/tools/[toolId]',
    ids: { toolId: 'policyTool' },
    anyOf: ['settings.manage'],
    audited: true,
    fixture: async (kit) => {
      const tool = await kit.tool({ risk: 'low' });
      await kit.toolPolicy(tool.id);
      return { params: { toolId: tool.id } };
    },
  },

  // ---- access requests and approvals ----
  S('/approvals'),
  {
    method: 'POST',
    pattern: '/approvals/[id]',
    ids: { id: 'request' },
    // tool owners (members included) and security approve; auditors never do, even as owners
    anyOf: ['requests.approve_as_owner', 'requests.approve_as_security'],
    audited: true,
    fixture: async (kit, actor) => ({ params: { id: (await requestToDecide(kit, actor, true)).id }, body: { verdict: 'approve', comment: 'matrix' } }),
    refusals: [
      { why: 'a member approving for a tool they do not own', appliesTo: memberOwnerOnly, status: 403, fixture: async (kit, actor) => ({ params: { id: (await requestToDecide(kit, actor, false)).id }, body: { verdict: 'approve', comment: 'x' } }) },
      {
        why: 'approving a request one filed oneself (four eyes)',
        appliesTo: (r) => can(r, 'requests.create') && (can(r, 'requests.approve_as_owner') || can(r, 'requests.approve_as_security')),
        status: 403,
        fixture: async (kit, actor) => {
          const tool = await kit.tool({ risk: 'medium' });
          await kit.toolOwner(tool.id, actor.userId);
          return { params: { id: (await kit.accessRequest(actor, tool.id)).id }, body: { verdict: 'approve', comment: 'x' } };
        },
      },
    ],
  },
  S('/requests'),
  {
    method: 'POST',
    pattern: '/requests',
    anyOf: ['requests.create'],
    audited: true,
    fixture: async (kit, actor) => ({
      params: {},
      body: { agentId: (await ownAgent(kit, actor)).id, toolId: kit.base.mediumToolId, actions: ['read'], durationSeconds: 3600, justification: 'the matrix files a request' },
    }),
    refusals: [
      {
        why: "a member filing for someone else's agent",
        appliesTo: (r) => can(r, 'requests.create') && !can(r, 'agents.manage'),
        status: 403,
        fixture: async (kit) => ({
          params: {},
          body: { agentId: (await othersAgent(kit)).id, toolId: kit.base.mediumToolId, actions: ['read'], durationSeconds: 3600, justification: 'the matrix files a request' },
        }),
      },
    ],
    foreignBody: async (kit, o) => ({ params: {}, body: { agentId: o.agent, toolId: kit.base.mediumToolId, actions: ['read'], durationSeconds: 3600, justification: 'cross-tenant agent' } }),
  },
  S('/requests/options'),
  S('/requests/[id]', { id: 'request' }),
  {
    method: 'POST',
    pattern: '/requests/[id]/cancel',
    ids: { id: 'request' },
    anyOf: ['requests.create'],
    audited: true,
    // the filer (or the agent's owner) cancels; security/admin cancel any
    fixture: async (kit, actor) => ({ params: { id: (await kit.accessRequest(can(actor.role, 'requests.create') ? actor : kit.user('filer'))).id }, body: { reason: 'not needed' } }),
    refusals: [
      {
        why: "a member cancelling someone else's request",
        appliesTo: (r) => can(r, 'requests.create') && !can(r, 'agents.manage'),
        status: 403,
        fixture: async (kit) => ({ params: { id: (await kit.accessRequest(kit.user('filer'))).id }, body: {} }),
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/requests/[id]/revoke-grant',
    ids: { id: 'approvedRequest' },
    anyOf: ['grants.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.approvedRequest()).id }, body: { reason: 'task finished' } }),
  },

  // ---- audit ----
  S('/audit'),
  S('/audit/export'),
  S('/audit/verify'),
  S('/audit/retention'),
  {
    method: 'PATCH',
    pattern: '/audit/retention',
    anyOf: ['settings.manage'],
    audited: true,
    // a different value each time: an unchanged value is (rightly) not audited
    fixture: async () => ({ params: {}, body: { decisionRetentionDays: 30 + Math.floor(Math.random() * 3000) } }),
  },

  // ---- break-glass ----
  S('/break-glass'),
  {
    method: 'POST',
    pattern: '/break-glass',
    anyOf: ['grants.break_glass'],
    audited: true,
    fixture: async (kit) => ({
      params: {},
      body: { agentId: (await kit.agent()).id, toolId: kit.base.lowToolId, actions: ['read'], durationSeconds: 600, justification: 'the matrix breaks the glass: normal approval cannot wait' },
    }),
    foreignBody: async (kit, o) => ({
      params: {},
      body: { agentId: o.agent, toolId: kit.base.lowToolId, actions: ['read'], durationSeconds: 600, justification: 'cross-tenant agent: normal approval cannot wait' },
    }),
  },
  {
    method: 'POST',
    pattern: '/break-glass/[id]/review',
    ids: { id: 'breakGlass' },
    anyOf: ['reviews.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.breakGlass(kit.user('filer'))).id }, body: { note: 'was warranted' } }),
    refusals: [
      {
        why: 'reviewing break-glass access one used oneself (four eyes)',
        appliesTo: (r) => can(r, 'reviews.manage') && can(r, 'grants.break_glass'),
        status: 403,
        fixture: async (kit, actor) => ({ params: { id: (await kit.breakGlass(actor)).id }, body: { note: 'my own' } }),
      },
    ],
  },

  // ---- decision log ----
  S('/decisions'),
  S('/decisions/[id]', { id: 'decision' }),
  S('/decisions/export'),
  S('/decisions/options'),
  S('/decisions/stats'),

  // ---- deny rules ----
  S('/deny-rules'),
  {
    method: 'POST',
    pattern: '/deny-rules',
    anyOf: ['deny_rules.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { agentId: (await kit.agent()).id, reason: 'the matrix denies' } }),
    foreignBody: async (_kit, o) => ({ params: {}, body: { agentId: o.agent, reason: 'cross-tenant agent' } }),
  },
  { method: 'DELETE', pattern: '/deny-rules/[id]', ids: { id: 'denyRule' }, anyOf: ['deny_rules.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.denyRule()).id } }) },

  // ---- grants ----
  S('/grants'),
  {
    method: 'POST',
    pattern: '/grants',
    anyOf: ['grants.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { agentId: (await kit.agent()).id, toolId: kit.base.lowToolId, actions: ['read'] } }),
    foreignBody: async (kit, o) => ({ params: {}, body: { agentId: (await kit.agent()).id, toolId: o.tool, actions: ['read'] } }),
  },
  S('/grants/[id]', { id: 'grant' }),
  { method: 'PATCH', pattern: '/grants/[id]', ids: { id: 'grant' }, anyOf: ['grants.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.grant()).id }, body: { resourcePatterns: ['invoice:*'] } }) },
  {
    method: 'POST',
    pattern: '/grants/[id]/revoke',
    ids: { id: 'grant' },
    anyOf: ['grants.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.grant()).id }, body: { reason: 'no longer needed' } }),
  },
  {
    method: 'POST',
    pattern: '/grants/bulk',
    anyOf: ['grants.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { agentIds: [(await kit.agent()).id, (await kit.agent()).id], toolId: kit.base.lowToolId, actions: ['read'] } }),
    foreignBody: async (kit, o) => ({ params: {}, body: { agentIds: [(await kit.agent()).id, o.agent], toolId: kit.base.lowToolId, actions: ['read'] } }),
  },
  S('/grants/matrix'),
  S('/grants/options'),
  S('/grants/tools/[toolId]/policy', { toolId: 'tool' }),
  // checks a CEL expression and changes nothing: every reader may use it
  { method: 'POST', pattern: '/grants/validate-condition', anyOf: ['grants.read'], audited: false, fixture: async () => ({ params: {}, body: { condition: 'args.amount < 100' } }) },

  // ---- members ----
  S('/members'),
  {
    method: 'POST',
    pattern: '/members',
    anyOf: ['members.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { email: `${kit.name('new')}@${kit.tenant.slug}.test`, role: 'member' } }),
  },
  { method: 'PATCH', pattern: '/members/[id]', ids: { id: 'member' }, anyOf: ['members.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.member()).membershipId }, body: { role: 'auditor' } }) },
  { method: 'DELETE', pattern: '/members/[id]', ids: { id: 'member' }, anyOf: ['members.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.member()).membershipId } }) },

  // ---- overview ----
  S('/overview'),

  // ---- reviews ----
  S('/reviews'),
  {
    method: 'POST',
    pattern: '/reviews',
    anyOf: ['reviews.manage'],
    audited: true,
    fixture: async (kit) => {
      await kit.grant(); // something in scope
      return { params: {}, body: { name: kit.name('campaign'), scope: { elevated: false, standingOlderThanDays: 0 }, deadline: new Date(Date.now() + 3 * 86_400_000).toISOString() } };
    },
  },
  S('/reviews/[id]', { id: 'campaign' }),
  S('/reviews/[id]/export', { id: 'campaign' }),
  {
    method: 'POST',
    pattern: '/reviews/[id]/items/[itemId]',
    ids: { id: 'campaign', itemId: 'reviewItem' },
    // security runs reviews; owners of the grant's tool (members included) decide its item
    anyOf: ['reviews.manage', 'requests.approve_as_owner'],
    audited: true,
    fixture: (kit, actor) => itemToReview(kit, actor, true),
    refusals: [{ why: 'a member reviewing a grant on a tool they do not own', appliesTo: memberOwnerOnly, status: 403, fixture: (kit, actor) => itemToReview(kit, actor, false) }],
  },

  // ---- servers and keys ----
  S('/servers'),
  {
    method: 'POST',
    pattern: '/servers',
    anyOf: ['servers.manage'],
    audited: true,
    fixture: async (kit) => {
      const name = kit.name('new-srv');
      return { params: {}, body: { name, audience: `https://${name}.mcp.test` } };
    },
  },
  S('/servers/[id]', { id: 'server' }),
  { method: 'PATCH', pattern: '/servers/[id]', ids: { id: 'server' }, anyOf: ['servers.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.server()).id }, body: { description: 'changed by the matrix' } }) },
  { method: 'POST', pattern: '/servers/[id]/status', ids: { id: 'server' }, anyOf: ['servers.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.server()).id }, body: { status: 'disabled' } }) },
  S('/servers/[id]/keys', { id: 'server' }),
  { method: 'POST', pattern: '/servers/[id]/keys', ids: { id: 'server' }, anyOf: ['server_keys.manage'], audited: true, fixture: async (kit) => ({ params: { id: kit.base.serverId }, body: { name: kit.name('key') } }) },
  { method: 'POST', pattern: '/server-keys/[id]/revoke', ids: { id: 'serverKey' }, anyOf: ['server_keys.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.serverKey()).id } }) },

  // ---- simulator ----
  S('/simulator/options'),
  {
    method: 'POST',
    pattern: '/simulator',
    anyOf: ['simulator.use'],
    // what the API would answer: nothing is logged or spent
    audited: false,
    fixture: async (kit) => ({ params: {}, body: { serverId: kit.base.serverId, agentId: (await kit.agent()).id, tool: 'no-such-tool', action: 'read' } }),
    foreignBody: async (kit, o) => ({ params: {}, body: { serverId: o.server, agentId: (await kit.agent()).id, tool: 'no-such-tool', action: 'read' } }),
  },

  // ---- tools ----
  S('/tools'),
  {
    method: 'POST',
    pattern: '/tools',
    anyOf: ['tools.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { serverId: kit.base.serverId, name: kit.name('new-tool'), description: 'added by the matrix' } }),
    foreignBody: async (kit, o) => ({ params: {}, body: { serverId: o.server, name: kit.name('x-tool') } }),
  },
  S('/tools/[id]', { id: 'tool' }),
  { method: 'PATCH', pattern: '/tools/[id]', ids: { id: 'tool' }, anyOf: ['tools.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.tool()).id }, body: { title: kit.name('title') } }) },
  {
    method: 'POST',
    pattern: '/tools/[id]/classify',
    ids: { id: 'tool' },
    anyOf: ['tools.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.tool()).id }, body: { risk: 'low', defaultAction: 'read', sensitivity: 'internal' } }),
  },
  { method: 'POST', pattern: '/tools/[id]/status', ids: { id: 'tool' }, anyOf: ['tools.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.tool({ risk: 'low' })).id }, body: { status: 'disabled' } }) },
  {
    method: 'POST',
    pattern: '/tools/[id]/review-definition',
    ids: { id: 'tool' },
    anyOf: ['tools.manage'],
    audited: true,
    // only a changed definition has something to mark reviewed
    fixture: async (kit) => {
      const tool = await kit.tool({ risk: 'low' });
      await kit.ok(kit.admin, 'PATCH', `/tools/${tool.id}`, { description: `changed ${kit.name('d')}` });
      return { params: { id: tool.id } };
    },
  },
  {
    method: 'POST',
    pattern: '/tools/[id]/owners',
    ids: { id: 'tool' },
    anyOf: ['tools.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.tool({ risk: 'low' })).id }, body: { userId: kit.user('member').userId } }),
    foreignBody: async (kit, o) => ({ params: { id: (await kit.tool({ risk: 'low' })).id }, body: { userId: o.toolOwnerUser } }),
  },
  {
    method: 'DELETE',
    pattern: '/tools/[id]/owners/[userId]',
    ids: { id: 'tool', userId: 'toolOwnerUser' },
    anyOf: ['tools.manage'],
    audited: true,
    fixture: async (kit) => {
      const tool = await kit.tool({ risk: 'low' });
      await kit.toolOwner(tool.id, kit.user('member').userId);
      return { params: { id: tool.id, userId: kit.user('member').userId } };
    },
  },
  S('/tools/[id]/versions', { id: 'tool' }),

  // ---- trust domains ----
  S('/trust-domains'),
  {
    method: 'POST',
    pattern: '/trust-domains',
    anyOf: ['trust_domains.manage'],
    audited: true,
    fixture: async (kit) => ({ params: {}, body: { name: `${kit.name('td')}.test`, jwksUrl: 'https://keys.invalid/jwks.json', allowedAlgs: ['ES256'] } }),
  },
  S('/trust-domains/[id]', { id: 'trustDomain' }),
  { method: 'PATCH', pattern: '/trust-domains/[id]', ids: { id: 'trustDomain' }, anyOf: ['trust_domains.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.trustDomain()).id }, body: { description: 'changed by the matrix' } }) },
  { method: 'DELETE', pattern: '/trust-domains/[id]', ids: { id: 'trustDomain' }, anyOf: ['trust_domains.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.trustDomain()).id } }) },
  {
    method: 'POST',
    pattern: '/trust-domains/test-fetch',
    anyOf: ['trust_domains.manage'],
    // makes the server fetch a URL and stores nothing; a loopback URL with nothing behind it answers { ok: false }
    audited: false,
    fixture: async () => ({ params: {}, body: { jwksUrl: 'http://127.0.0.1:9/jwks.json', allowedAlgs: ['ES256'] } }),
  },

  // ---- webhooks ----
  S('/webhooks'),
  { method: 'POST', pattern: '/webhooks', anyOf: ['settings.manage'], audited: true, fixture: async (kit) => ({ params: {}, body: { url: `http://127.0.0.1:9/${kit.name('hook')}`, active: false } }) },
  { method: 'PATCH', pattern: '/webhooks/[id]', ids: { id: 'webhook' }, anyOf: ['settings.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.webhook()).id }, body: { events: ['break_glass.used'] } }) },
  { method: 'DELETE', pattern: '/webhooks/[id]', ids: { id: 'webhook' }, anyOf: ['settings.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.webhook()).id } }) },
  { method: 'POST', pattern: '/webhooks/[id]/test', ids: { id: 'webhook' }, anyOf: ['settings.manage'], audited: true, fixture: async (kit) => ({ params: { id: (await kit.webhook()).id } }) },
  S('/webhooks/deliveries'),
  {
    method: 'POST',
    pattern: '/webhooks/deliveries/[id]/retry',
    ids: { id: 'delivery' },
    anyOf: ['settings.manage'],
    audited: true,
    fixture: async (kit) => ({ params: { id: (await kit.failedDelivery((await kit.webhook()).id)).id } }),
  },
];

/** page folders with an id → the kind of object the id names */
export const PAGE_IDS: Record<string, Record<string, ObjectKind>> = {
  '/agents/[id]': { id: 'agent' },
  '/approvals/[id]': { id: 'request' },
  '/grants/[id]': { id: 'grant' },
  '/reviews/[id]': { id: 'campaign' },
  '/servers/[id]': { id: 'server' },
  '/tools/[id]': { id: 'tool' },
};

/** the values non-id dynamic page segments take in the specs */
export const PAGE_SEGMENTS: Record<string, Record<string, string>> = {
  // planned sections share one page; any name exercises its tenant check
  '/[section]': { section: 'decisions' },
};
