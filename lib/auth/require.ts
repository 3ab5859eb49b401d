import type { ServiceContext } from '../context';
import { forbidden } from '../errors';
import { can, type Permission } from './permissions';

/** Checked inside every service mutation, whatever the caller already checked. */
export function requirePermission(ctx: ServiceContext, permission: Permission): void {
  if (ctx.actor.type === 'system') return;
  if (!can(ctx.role, permission)) throw forbidden();
}
