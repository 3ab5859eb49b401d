import type { Permission } from '@/lib/auth/permissions';

export const PLANNED_SECTIONS: Record<string, { title: string; what: string; permission: Permission }> = {
  approvals: { title: 'Approvals', what: 'The approvals inbox', permission: 'tenant.read' },
  reviews: { title: 'Access reviews', what: 'Access review campaigns', permission: 'tenant.read' },
  settings: { title: 'Settings', what: 'Approval policies and webhooks', permission: 'settings.manage' },
};
