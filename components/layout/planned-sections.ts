import type { Permission } from '@/lib/auth/permissions';

export const PLANNED_SECTIONS: Record<string, { title: string; what: string; permission: Permission }> = {
  settings: { title: 'Settings', what: 'Approval policies and webhooks', permission: 'settings.manage' },
};
