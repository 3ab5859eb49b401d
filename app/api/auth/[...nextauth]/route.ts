import { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth/config';

// Next's request URLs always say "localhost" for loopback addresses (NextURL rewrites
// 127.0.0.1 and [::1]). OAuth redirect
// URIs must be built from the host the browser actually used (the IdP compares them exactly),
// so the URL is rebuilt from Host and X-Forwarded-Proto (set by server.ts) before Auth.js sees it.
// A forged Host cannot redirect anywhere: the IdP only accepts its registered redirect URIs.
function withBrowserUrl(handler: (req: NextRequest) => Promise<Response>) {
  return (req: NextRequest) => {
    const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
    if (!host || process.env.AUTH_URL) return handler(req);
    const proto = req.headers.get('x-forwarded-proto') ?? 'http';
    const url = new URL(req.nextUrl.pathname + req.nextUrl.search, `${proto}://${host}`);
    // a plain Request: wrapping it in NextRequest would rewrite the host again
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body;
    const plain = new Request(url, { method: req.method, headers: req.headers, body, duplex: 'half' } as RequestInit);
    return handler(plain as NextRequest);
  };
}

export const GET = withBrowserUrl(handlers.GET);
export const POST = withBrowserUrl(handlers.POST);
