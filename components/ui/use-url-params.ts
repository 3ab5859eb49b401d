'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * Page state that lives in the URL (?agent=…&outcome=deny), so a view can be shared by copying
 * the address and the back button undoes a filter. Empty values are dropped.
 */
export function useUrlParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();

  const go = useCallback(
    (next: URLSearchParams, mode: 'push' | 'replace') => {
      const qs = next.toString();
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (mode === 'push') router.push(url, { scroll: false });
      else router.replace(url, { scroll: false });
    },
    [pathname, router],
  );

  /** replaces the given keys (undefined/'' removes one), keeps the rest */
  const patch = useCallback(
    (values: Record<string, string | null | undefined>, mode: 'push' | 'replace' = 'push') => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(values)) {
        if (v === undefined || v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      go(next, mode);
    },
    [search, go],
  );

  /** the whole query string from scratch */
  const replaceAll = useCallback(
    (values: Record<string, string | null | undefined>, mode: 'push' | 'replace' = 'push') => {
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') next.set(k, v);
      go(next, mode);
    },
    [go],
  );

  return { params, search, patch, replaceAll };
}

/** the query string with only the given keys, in their order (what an API call needs) */
export function pickParams(params: URLSearchParams, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = params.get(k);
    if (v !== null && v !== '') out[k] = v;
  }
  return out;
}
