// Console traffic for the load run: a user signed in through Auth.js over plain HTTP (CSRF token,
// credentials callback, session cookie), then reading the decision log, its charts and the
// overview, the pages an operator keeps open while the decision API is busy. Every request goes
// through the real Next route handlers and session checks.

export interface ConsoleAnswer {
  path: string;
  sentAt: number;
  doneAt: number;
  status: number;
  error: string | null;
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

/** signs in with e-mail and password; returns the Cookie header of the session */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrfRes.ok) throw new Error(`GET /api/auth/csrf answered ${csrfRes.status}`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfRes);
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.join('; '), origin: baseUrl },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }).toString(),
  });
  const session = cookiesOf(res).find((c) => /session-token=/.test(c) && !/session-token=;?$/.test(c));
  if (!session) throw new Error(`sign-in failed (status ${res.status}, location ${res.headers.get('location')})`);
  return session;
}

export function consolePaths(tenantSlug: string): string[] {
  const t = `/api/console/t/${tenantSlug}`;
  return [`${t}/decisions?range=1h`, `${t}/decisions/stats?range=1h`, `${t}/overview?range=24h&tz=UTC`, `${t}/decisions?range=24h&outcome=deny`];
}

const now = () => performance.timeOrigin + performance.now();

/** `workers` signed-in users, each requesting the next console path as soon as the last answered */
export function consoleLoop(baseUrl: string, cookie: string, paths: string[], workers: number, onAnswer: (a: ConsoleAnswer) => void, pauseMs = 0) {
  let running = true;
  let next = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const path = paths[next++ % paths.length];
      const sentAt = now();
      try {
        const res = await fetch(baseUrl + path, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
        onAnswer({ path, sentAt, doneAt: now(), status: res.status, error: null });
      } catch (e) {
        onAnswer({ path, sentAt, doneAt: now(), status: 0, error: (e as Error).message });
      }
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
