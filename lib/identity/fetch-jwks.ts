// Fetching a remote JWKS: bounded in time and size, exact URL, public-key transport only.

import { KeyResolutionError } from './key-set';

export const JWKS_FETCH_TIMEOUT_MS = 2_000;
/** Real JWKS documents are a few KiB; anything much larger is a misconfiguration or an attack. */
const MAX_JWKS_BYTES = 256 * 1024;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Keys fetched over plain HTTP could be swapped by anyone on the path, so only https is accepted,
 * with loopback http as the one exception (local development and tests).
 */
export function checkJwksUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KeyResolutionError('JWKS URL is not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return url;
  throw new KeyResolutionError('JWKS URL must use https (plain http only on loopback)');
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_JWKS_BYTES) throw new KeyResolutionError('JWKS response too large');
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_JWKS_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new KeyResolutionError('JWKS response too large');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

export async function fetchJwks(
  rawUrl: string,
  fetchImpl: typeof fetch,
  timeoutMs: number = JWKS_FETCH_TIMEOUT_MS,
): Promise<unknown> {
  const url = checkJwksUrl(rawUrl);
  const controller = new AbortController();
  // The timer covers headers and body: a server that trickles bytes must not hold a decision.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: 'GET',
      headers: { accept: 'application/jwk-set+json, application/json' },
      // Keys are trusted because of the configured URL; following a redirect would trust another.
      redirect: 'error',
      signal: controller.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new KeyResolutionError(`JWKS fetch answered HTTP ${response.status}`);
    }
    const text = await readLimited(response);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KeyResolutionError('JWKS response is not JSON');
    }
  } catch (error) {
    if (error instanceof KeyResolutionError) throw error;
    if (controller.signal.aborted) throw new KeyResolutionError(`JWKS fetch timed out after ${timeoutMs} ms`);
    throw new KeyResolutionError(`JWKS fetch failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  } finally {
    clearTimeout(timer);
  }
}
