import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { db } from '../db/client';
import { verifyPassword } from './passwords';
import { clearFailures, lockedFor, recordFailure, throttleKeys } from './throttle';
import { endSession, openSession, SESSION_MAX_AGE_SECONDS } from './sessions';
import { CLIENT_IP_HEADER } from './client-ip';

// Auth.js: e-mail + password (argon2id) always; a generic OIDC provider when configured.
// Sessions are JWTs holding only the user id: tenants and roles are read from the database on
// every request, so a role change or removal takes effect at once.

class ThrottledSignin extends CredentialsSignin {
  code = 'throttled';
}

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().max(254), password: z.string().max(200) });

function oidcProvider(): NextAuthConfig['providers'] {
  const issuer = process.env.AUTH_OIDC_ISSUER;
  const clientId = process.env.AUTH_OIDC_CLIENT_ID;
  if (!issuer || !clientId) return [];
  return [
    {
      id: 'oidc',
      name: process.env.AUTH_OIDC_NAME ?? 'Single sign-on',
      type: 'oidc',
      issuer,
      clientId,
      clientSecret: process.env.AUTH_OIDC_CLIENT_SECRET,
      checks: ['pkce', 'state', 'nonce'],
    },
  ];
}

export const authConfig: NextAuthConfig = {
  trustHost: true,
  logger: {
    // a wrong password is an expected outcome (throttled and answered), not a server error
    error(error) {
      if (error.name === 'CredentialsSignin' || (error as { type?: string }).type === 'CredentialsSignin') return;
      console.error('[auth]', error);
    },
  },
  session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: '/signin', error: '/signin' },
  providers: [
    Credentials({
      credentials: { email: { label: 'E-mail' }, password: { label: 'Password', type: 'password' } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const ip = request?.headers?.get(CLIENT_IP_HEADER) ?? null;
        const keys = throttleKeys(email, ip);
        if ((await lockedFor(keys)) > 0) throw new ThrottledSignin();
        const user = await db().user.findUnique({ where: { email } });
        const ok = await verifyPassword(user?.passwordHash, password);
        if (!ok || !user || user.disabledAt) {
          await recordFailure(keys);
          return null;
        }
        await clearFailures(email);
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
    ...oidcProvider(),
  ],
  callbacks: {
    // OIDC sign-in only for users an admin already added (matched by verified e-mail): an
    // identity provider account alone gives no access to any tenant.
    async signIn({ user, account, profile }) {
      if (account?.provider === 'credentials') return true;
      const email = (profile?.email ?? user.email ?? '').toLowerCase();
      if (!email || profile?.email_verified === false) return false;
      const known = await db().user.findUnique({ where: { email } });
      return !!known && !known.disabledAt;
    },
    async jwt({ token, user, account, profile }) {
      if (user && account) {
        if (account.provider === 'credentials') token.uid = user.id;
        else {
          const email = (profile?.email ?? user.email ?? '').toLowerCase();
          const known = await db().user.findUnique({ where: { email } });
          token.uid = known?.id;
        }
        // a fresh server-side session at every sign-in (never one carried over from before)
        token.sid = token.uid ? await openSession(String(token.uid)) : undefined;
      }
      return token;
    },
    async session({ session, token }) {
      if (token.uid && session.user) {
        (session.user as { id?: string }).id = String(token.uid);
        (session as { sid?: string }).sid = token.sid ? String(token.sid) : undefined;
      }
      return session;
    },
  },
  events: {
    async signOut(message) {
      if ('token' in message && message.token?.sid) await endSession(String(message.token.sid));
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
