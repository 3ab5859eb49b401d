// Roles → permissions as data. Services check `can(role, permission)` inside every mutation;
// pages and navigation use the same table to decide what to show.

export const ROLES = ['admin', 'security', 'member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'tenant.read',
  'members.manage',
  'agents.read',
  'agents.manage',
  /** members may manage agents they own (checked against ownerUserId in the service) */
  'agents.manage_own',
  'trust_domains.manage',
  'servers.read',
  'servers.manage',
  'server_keys.manage',
  'tools.read',
  'tools.manage',
  'grants.read',
  'grants.manage',
  'grants.break_glass',
  'deny_rules.manage',
  'requests.create',
  /** tool owners approve requests and certify grants for their tools (ToolOwner rows); auditors never do */
  'requests.approve_as_owner',
  'requests.approve_as_security',
  'reviews.manage',
  'decisions.read',
  'audit.read',
  'audit.export',
  'simulator.use',
  'settings.manage',
  'api_tokens.own',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = [
  'tenant.read',
  'agents.read',
  'servers.read',
  'tools.read',
  'grants.read',
  'decisions.read',
  'audit.read',
  'simulator.use',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  security: [
    ...READ_ALL,
    'agents.manage',
    'agents.manage_own',
    'servers.manage',
    'server_keys.manage',
    'tools.manage',
    'grants.manage',
    'grants.break_glass',
    'deny_rules.manage',
    'requests.create',
    'requests.approve_as_owner',
    'requests.approve_as_security',
    'reviews.manage',
    'audit.export',
    'api_tokens.own',
  ],
  member: ['tenant.read', 'agents.read', 'agents.manage_own', 'servers.read', 'tools.read', 'grants.read', 'requests.create', 'requests.approve_as_owner', 'simulator.use', 'api_tokens.own'],
  auditor: [...READ_ALL, 'audit.export', 'api_tokens.own'],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && ROLE_PERMISSIONS[role].includes(permission);
}
