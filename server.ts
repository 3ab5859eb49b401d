import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { createMachineApiListener } from './lib/api/listener';
import { CLIENT_IP_HEADER } from './lib/auth/client-ip';
import { startDecisionRuntime } from './lib/decisions/runtime';
import { startBackgroundJobs } from './lib/jobs';
import { gracefulCloser } from './lib/api/graceful-close';
import { contentSecurityPolicy, newNonce, oidcOrigins, STATIC_SECURITY_HEADERS } from './lib/security/headers';

// One Node process: /api/v1/* goes to the machine API (Hono, no Next in the path: measured an
// order of magnitude faster), everything else to Next (console, Auth.js).

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export async function startServer(opts: { port: number; host: string; dev?: boolean; dir?: string }): Promise<RunningServer> {
  const dir = opts.dir ?? path.dirname(new URL(import.meta.url).pathname);
  const nextApp = next({ dev: !!opts.dev, dir, hostname: opts.host, port: opts.port });
  await nextApp.prepare();
  const nextHandler = nextApp.getRequestHandler();
  const runtime = await startDecisionRuntime();
  const stopJobs = startBackgroundJobs();
  const apiListener = createMachineApiListener(runtime);
  const trustProxy = process.env.TRUST_PROXY === '1';
  const formActionOrigins = oidcOrigins();

  const server = http.createServer((req, res) => {
    const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
    req.headers[CLIENT_IP_HEADER] = forwarded || req.socket.remoteAddress || '';
    // this server speaks plain HTTP; behind a TLS proxy (TRUST_PROXY=1) the proxy says https.
    // Auth.js builds OAuth redirect URIs from this header and assumes https when it is absent.
    if (!trustProxy || !req.headers['x-forwarded-proto']) req.headers['x-forwarded-proto'] = 'http';
    else if (req.headers['x-forwarded-proto'] === 'https') res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (req.url?.startsWith('/api/v1/') || req.url === '/api/v1') {
      apiListener(req, res);
      return;
    }
    // a fresh CSP nonce per console response; Next reads it from the request header
    const csp = contentSecurityPolicy({ nonce: newNonce(), dev: !!opts.dev, formActionOrigins });
    req.headers['content-security-policy'] = csp;
    res.setHeader('Content-Security-Policy', csp);
    for (const [k, v] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(k, v);
    void nextHandler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const closer = gracefulCloser(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`,
    port,
    // graceful: stop accepting, let in-flight requests finish (their log rows commit; keep-alive
    // connections are closed once idle, see graceful-close.ts), then drain the decision log writer
    close: async () => {
      await closer.close();
      await stopJobs();
      await runtime.stop();
    },
  };
}
