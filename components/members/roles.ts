import { ROLES, type Role } from '@/lib/auth/permissions';

// One line per role for the role select (DESIGN.md "Domain model": roles).
export const ROLE_OPTIONS: { value: Role; label: string }[] = ROLES.map((value) => ({ value, label: value }));

export const ROLE_SUMMARY: Record<Role, string> = {
  admin: 'everything, including members, trust domains and server keys',
  security: 'agents, identities, servers, tools, grants and deny rules; approves as security',
  member: 'owns agents and requests access for them',
  auditor: 'reads everything and exports, changes nothing',
};
