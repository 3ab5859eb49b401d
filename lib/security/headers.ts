import { randomBytes } from 'node:crypto';

// Security headers for every console response, set in server.ts before Next renders.
//
// The Content-Security-Policy uses a fresh nonce per request: Next reads the nonce back from
// the *request's* Content-Security-Policy header and puts it on its own inline bootstrap
// scripts, so `script-src` needs neither 'unsafe-inline' nor a host list ('strict-dynamic'
// lets those nonced scripts load the app's chunks). Styles keep 'unsafe-inline' because React
// `style` attributes (charts, progress bars) cannot carry a nonce; CSS cannot run script.

export interface CspOptions {
  nonce: string;
  dev?: boolean;
  /** origins a sign-in form may post/redirect to (the OIDC issuer) besides our own */
  formActionOrigins?: string[];
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy({ nonce, dev, formActionOrigins = [] }: CspOptions): string {
  return [
    "default-src 'self'",
    // dev mode's React refresh evaluates code; production never does
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    ["form-action 'self'", ...formActionOrigins].join(' '),
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The OIDC issuer's origin, when single sign-on is configured (sign-in redirects there). */
export function oidcOrigins(env: Record<string, string | undefined> = process.env): string[] {
  try {
    return env.AUTH_OIDC_ISSUER ? [new URL(env.AUTH_OIDC_ISSUER).origin] : [];
  } catch {
    return [];
  }
}

/** Headers every console response carries (the machine API sets its own: JSON only, no HTML). */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};
