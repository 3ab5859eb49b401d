'use server';

import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/config';

export interface SignInState {
  error?: string;
}

export async function signInWithPassword(_prev: SignInState, form: FormData): Promise<SignInState> {
  const callbackUrl = String(form.get('callbackUrl') ?? '/');
  try {
    await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      // only same-site paths: an open redirect after sign-in is a phishing aid
      redirectTo: callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/',
    });
    return {};
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code;
      if (code === 'throttled') return { error: 'Too many failed attempts. Wait a few minutes and try again.' };
      // the same message whether the e-mail exists or not
      return { error: 'Wrong e-mail or password.' };
    }
    throw err; // redirects are thrown too
  }
}

export async function signInWithOidc(form: FormData) {
  const callbackUrl = String(form.get('callbackUrl') ?? '/');
  await signIn('oidc', { redirectTo: callbackUrl.startsWith('/') && !callbackUrl.startsWith('//') ? callbackUrl : '/' });
}
