// The console is plain Next; the machine API is served by server.ts before Next sees a request.
/** @type {import('next').NextConfig} */
const nextConfig = {
  // separate build folders let several checkouts' e2e runs coexist (NEXT_DIST_DIR=.next-foo)
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native or wasm parts stay outside the bundle.
  serverExternalPackages: ['@node-rs/argon2', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'pg', '@prisma/adapter-pg', '@bufbuild/cel'],
  // type-checking is its own step of `npm test` (tsc --noEmit over the whole repository,
  // console, services, tests and scripts alike), so the build does not do it a second time
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a real 403 status
  experimental: { authInterrupts: true },
  // security headers (CSP with a per-request nonce, frame-ancestors, HSTS behind TLS) are set
  // by server.ts for every console response: see lib/security/headers.ts
};
export default nextConfig;
