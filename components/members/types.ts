import type { Role } from '@/lib/auth/permissions';

// The console API's JSON shapes (dates as ISO strings), as the client sees them.

export interface MemberDto {
  id: string;
  role: Role;
  createdAt: string;
  user: { id: string; email: string; name: string; disabledAt: string | null };
}

export interface AddMemberResult {
  membership: { id: string; role: Role };
  user: { id: string; email: string; name: string };
  /** only when a new user was created; shown once, never retrievable again */
  initialPassword: string | null;
}
