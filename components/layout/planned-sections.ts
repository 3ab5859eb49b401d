import type { Permission } from '@/lib/auth/permissions';

export const PLANNED_SECTIONS: Record<string, { title: string; what: string; permission: Permission }> = {
  servers: { title: 'Servers & keys', what: 'Server registration and key management', permission: 'servers.read' },
  tools: { title: 'Tools', what: 'The tool catalog, classification queue and definition history', permission: 'tools.read' },
  grants: { title: 'Grants', what: 'Grant management (list, matrix, create with risk guardrails, revoke)', permission: 'grants.read' },
  approvals: { title: 'Approvals', what: 'The approvals inbox', permission: 'tenant.read' },
  reviews: { title: 'Access reviews', what: 'Access review campaigns', permission: 'tenant.read' },
  decisions: { title: 'Decision log', what: 'The decision log explorer', permission: 'decisions.read' },
  audit: { title: 'Audit trail', what: 'The audit trail view with chain verification', permission: 'audit.read' },
  simulator: { title: 'Policy simulator', what: 'The policy simulator page', permission: 'simulator.use' },
  settings: { title: 'Settings', what: 'Trust domains, approval policies and webhooks', permission: 'settings.manage' },
};
