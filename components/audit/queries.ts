'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { AuditPage, ChainStatus, RetentionSettings } from './types';

export const PAGE_SIZE = 50;

export const auditKeys = {
  all: (tenant: string) => ['audit', tenant] as const,
  list: (tenant: string, filters: Record<string, string>, fromSeq: string | null) => ['audit', tenant, 'list', filters, fromSeq] as const,
  chain: (tenant: string) => ['audit', tenant, 'chain'] as const,
  retention: (tenant: string) => ['audit', tenant, 'retention'] as const,
};

/** `fromSeq`: start the list at that event (and go older), e.g. at a broken link */
export function useAuditList(tenant: string, filters: Record<string, string>, fromSeq: string | null = null) {
  const start = fromSeq && /^\d{1,18}$/.test(fromSeq) ? String(BigInt(fromSeq) + 1n) : null;
  return useInfiniteQuery({
    queryKey: auditKeys.list(tenant, filters, start),
    queryFn: ({ pageParam, signal }) => api<AuditPage>(withQuery(consolePath(tenant, 'audit'), { ...filters, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: start,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** recomputes the whole chain on the server: not on every focus, only on demand and on load */
export function useChainStatus(tenant: string) {
  return useQuery({
    queryKey: auditKeys.chain(tenant),
    queryFn: ({ signal }) => api<ChainStatus>(consolePath(tenant, 'audit', 'verify'), { signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function useRetention(tenant: string) {
  return useQuery({
    queryKey: auditKeys.retention(tenant),
    queryFn: ({ signal }) => api<RetentionSettings>(consolePath(tenant, 'audit', 'retention'), { signal }),
  });
}

export function useUpdateRetention(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (decisionRetentionDays: number) => api<RetentionSettings>(consolePath(tenant, 'audit', 'retention'), { method: 'PATCH', body: { decisionRetentionDays } }),
    onSuccess: (data) => {
      qc.setQueryData(auditKeys.retention(tenant), data);
      // the change is itself an audit event
      return qc.invalidateQueries({ queryKey: ['audit', tenant, 'list'] });
    },
  });
}
