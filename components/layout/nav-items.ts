import type { Permission } from '@/lib/auth/permissions';

// The console's sections (DESIGN.md "Console"). `ready: false` sections say so plainly.
export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
  ready: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '', label: 'Overview', permission: 'tenant.read', ready: true },
  { href: '/agents', label: 'Agents', permission: 'agents.read', ready: true },
  { href: '/servers', label: 'Servers & keys', permission: 'servers.read', ready: true },
  { href: '/tools', label: 'Tools', permission: 'tools.read', ready: true },
  { href: '/grants', label: 'Grants', permission: 'grants.read', ready: true },
  { href: '/approvals', label: 'Approvals', permission: 'tenant.read', ready: true },
  { href: '/reviews', label: 'Access reviews', permission: 'tenant.read', ready: true },
  { href: '/decisions', label: 'Decision log', permission: 'decisions.read', ready: true },
  { href: '/audit', label: 'Audit trail', permission: 'audit.read', ready: true },
  { href: '/simulator', label: 'Policy simulator', permission: 'simulator.use', ready: true },
  { href: '/settings/members', label: 'Members', permission: 'tenant.read', ready: true },
  { href: '/settings/trust-domains', label: 'Trust domains', permission: 'trust_domains.manage', ready: true },
  { href: '/settings/approval-policies', label: 'Approval policies', permission: 'settings.manage', ready: true },
  { href: '/settings/webhooks', label: 'Webhooks', permission: 'settings.manage', ready: true },
  { href: '/settings/api-tokens', label: 'API tokens', permission: 'api_tokens.own', ready: true },
  { href: '/settings', label: 'Settings', permission: 'settings.manage', ready: false },
];
