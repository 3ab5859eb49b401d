'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { DecisionDetail, DecisionPage, DecisionStats, FilterOptions } from './types';

export const PAGE_SIZE = 50;

// Every decision-log query starts with ['decisions', tenant]; `filters` is the URL's filter part.
export const decisionKeys = {
  all: (tenant: string) => ['decisions', tenant] as const,
  list: (tenant: string, filters: Record<string, string>) => ['decisions', tenant, 'list', filters] as const,
  stats: (tenant: string, filters: Record<string, string>) => ['decisions', tenant, 'stats', filters] as const,
  detail: (tenant: string, id: string) => ['decisions', tenant, 'detail', id] as const,
  options: (tenant: string) => ['decisions', tenant, 'options'] as const,
};

export function useDecisionList(tenant: string, filters: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: decisionKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) => api<DecisionPage>(withQuery(consolePath(tenant, 'decisions'), { ...filters, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    // an invalid filter (400) will not fix itself by retrying
    retry: false,
  });
}

export function useDecisionStats(tenant: string, filters: Record<string, string>) {
  return useQuery({
    queryKey: decisionKeys.stats(tenant, filters),
    queryFn: ({ signal }) => api<DecisionStats>(withQuery(consolePath(tenant, 'decisions', 'stats'), filters), { signal }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useDecision(tenant: string, id: string | null) {
  return useQuery({
    queryKey: decisionKeys.detail(tenant, id ?? ''),
    queryFn: ({ signal }) => api<DecisionDetail>(consolePath(tenant, 'decisions', id!), { signal }),
    enabled: !!id,
    retry: false,
  });
}

export function useFilterOptions(tenant: string) {
  return useQuery({
    queryKey: decisionKeys.options(tenant),
    queryFn: ({ signal }) => api<FilterOptions>(consolePath(tenant, 'decisions', 'options'), { signal }),
    staleTime: 60_000,
  });
}
