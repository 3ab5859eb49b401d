import { headers } from 'next/headers';
import { notFound, redirect, forbidden } from 'next/navigation';
import { AppError } from '../errors';
import { consoleSession, type ConsoleSession } from '../auth/console-context';
import { can, type Permission } from '../auth/permissions';

/**
 * Server-side gate for every console page: no session → sign-in; another tenant → 404;
 * missing permission → 403 page. Hiding a link is never the only check.
 */
export async function guardPage(tenantSlug: string, permission?: Permission): Promise<ConsoleSession> {
  let session: ConsoleSession;
  try {
    session = await consoleSession(tenantSlug, await headers());
  } catch (err) {
    if (err instanceof AppError && err.code === 'unauthenticated') redirect(`/signin?callbackUrl=${encodeURIComponent(`/t/${tenantSlug}`)}`);
    if (err instanceof AppError && err.code === 'not_found') notFound();
    throw err;
  }
  if (permission && !can(session.role, permission)) forbidden();
  return session;
}
