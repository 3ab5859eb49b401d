'use server';

import { auth, signOut } from '@/lib/auth/config';
import { endSession } from '@/lib/auth/sessions';

export async function signOutAction() {
  const session = (await auth()) as { sid?: string } | null;
  // The server-side session is closed before the cookie goes. If that write fails, this throws:
  // the user stays signed in, sees the error and can sign out again, instead of a cleared
  // cookie hiding a session that a copy of the cookie could still use for hours. (Auth.js's
  // signOut event closes it too, for sign-outs that do not come through this action.)
  await endSession(session?.sid);
  await signOut({ redirectTo: '/signin' });
}
