'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { JwksTestResult, Page, TrustDomainDto, TrustDomainInput } from './types';

export const PAGE_SIZE = 25;

// Under ['trust-domains', tenant] like the identity form's options, so a change refreshes both.
export const trustDomainKeys = {
  all: (tenant: string) => ['trust-domains', tenant] as const,
  list: (tenant: string, q: string) => ['trust-domains', tenant, 'manage', q] as const,
};

export function useTrustDomainList(tenant: string, q: string) {
  return useInfiniteQuery({
    queryKey: trustDomainKeys.list(tenant, q),
    queryFn: ({ pageParam, signal }) =>
      api<Page<TrustDomainDto>>(withQuery(consolePath(tenant, 'trust-domains'), { view: 'manage', q: q.trim(), cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

function useInvalidate(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: trustDomainKeys.all(tenant) });
}

export function useCreateTrustDomain(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: TrustDomainInput) => api<TrustDomainDto>(consolePath(tenant, 'trust-domains'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateTrustDomain(tenant: string, id: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: TrustDomainInput) => api<TrustDomainDto>(consolePath(tenant, 'trust-domains', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteTrustDomain(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (id: string) => api<{ id: string }>(consolePath(tenant, 'trust-domains', id), { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useTestJwksUrl(tenant: string) {
  return useMutation({
    mutationFn: (input: { jwksUrl: string; allowedAlgs: string[] }) => api<JwksTestResult>(consolePath(tenant, 'trust-domains', 'test-fetch'), { method: 'POST', body: input }),
  });
}
