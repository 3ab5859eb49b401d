import type { Permission } from '@/lib/auth/permissions';

// The console's sections (DESIGN.md "Console"). `ready: false` sections say so plainly.
export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
  ready: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { href: '', label: 'Overview', permission: 'tenant.read', ready: false },
  { href: '/agents', label: 'Agents', permission: 'agents.read', ready: true },
  { href: '/servers', label: 'Servers & keys', permission: 'servers.read', ready: false },
  { href: '/tools', label: 'Tools', permission: 'tools.read', ready: false },
  { href: '/grants', label: 'Grants', permission: 'grants.read', ready: false },
  { href: '/approvals', label: 'Approvals', permission: 'tenant.read', ready: false },
  { href: '/reviews', label: 'Access reviews', permission: 'tenant.read', ready: false },
  { href: '/decisions', label: 'Decision log', permission: 'decisions.read', ready: false },
  { href: '/audit', label: 'Audit trail', permission: 'audit.read', ready: false },
  { href: '/simulator', label: 'Policy simulator', permission: 'simulator.use', ready: false },
  { href: '/settings/members', label: 'Members', permission: 'tenant.read', ready: true },
  { href: '/settings', label: 'Settings', permission: 'settings.manage', ready: false },
];
