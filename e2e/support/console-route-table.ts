import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The console's routes as they are on disk, read at test time: every
// app/api/console/**/route.ts with the HTTP methods it exports, and every app/t/**/page.tsx.
// The security specs compare this with the checked-in matrix, so a route added without a
// matrix entry fails the suite instead of going untested.

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const MUTATING_METHODS: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface DiskRoute {
  /** relative to /api/console/t/[tenant], e.g. `/agents/[id]/status` */
  pattern: string;
  method: HttpMethod;
  file: string;
}

export interface DiskPage {
  /** relative to /t/[tenant], e.g. `/agents/[id]` ('' for the overview) */
  pattern: string;
  file: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const API_BASE = path.join(ROOT, 'app/api/console/t/[tenant]');
const PAGE_BASE = path.join(ROOT, 'app/t/[tenant]');

function walk(dir: string, file: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, file));
    else if (entry.name === file) out.push(full);
  }
  return out;
}

function patternOf(base: string, file: string): string {
  const rel = path.relative(base, path.dirname(file)).split(path.sep).join('/');
  return rel ? `/${rel}` : '';
}

/** `export const GET = …`, `export async function POST(…)`, `export { handler as PATCH }` */
function exportedMethods(source: string): HttpMethod[] {
  const found = new Set<HttpMethod>();
  for (const m of HTTP_METHODS) {
    const direct = new RegExp(`export\\s+(?:const|let|var|async\\s+function|function)\\s+${m}\\b`);
    const renamed = new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b[^}]*\\}`);
    const plain = new RegExp(`export\\s*\\{[^}]*(?:^|[\\s,{])${m}(?:[\\s,}])[^}]*\\}`);
    if (direct.test(source) || renamed.test(source) || plain.test(source)) found.add(m);
  }
  return [...found];
}

export function consoleApiRoutes(): DiskRoute[] {
  const routes: DiskRoute[] = [];
  for (const file of walk(API_BASE, 'route.ts')) {
    const methods = exportedMethods(readFileSync(file, 'utf8'));
    if (methods.length === 0) throw new Error(`${file} exports no HTTP method: the route table cannot classify it`);
    for (const method of methods) routes.push({ pattern: patternOf(API_BASE, file), method, file: path.relative(ROOT, file) });
  }
  // anything under app/api/console outside t/[tenant] would escape the tenant check entirely
  const outside = walk(path.join(ROOT, 'app/api/console'), 'route.ts').filter((f) => !f.startsWith(API_BASE + path.sep));
  if (outside.length) throw new Error(`console routes outside t/[tenant]: ${outside.join(', ')}`);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern) || a.method.localeCompare(b.method));
}

export function consolePages(): DiskPage[] {
  return walk(PAGE_BASE, 'page.tsx')
    .map((file) => ({ pattern: patternOf(PAGE_BASE, file), file: path.relative(ROOT, file) }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** `[id]`, `[toolId]`… in a pattern */
export function paramNames(pattern: string): string[] {
  return [...pattern.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
}

export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for [${name}] in ${pattern}`);
    return encodeURIComponent(v);
  });
}

export const routeKey = (r: { method: string; pattern: string }) => `${r.method} ${r.pattern}`;
