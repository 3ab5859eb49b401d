import { z } from 'zod';
import { ROLES } from '../auth/permissions';

export const emailSchema = z.string().trim().toLowerCase().email('Enter a valid e-mail address').max(254);
export const roleSchema = z.enum(ROLES);

export const addMemberSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, 'Name is required').max(120).optional(),
  role: roleSchema,
});

export const changeRoleSchema = z.object({ role: roleSchema });
