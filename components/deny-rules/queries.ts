'use client';

import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { Page } from '@/components/grants/types';
import type { DenyRuleDto } from './types';

export const denyRuleKeys = { all: (tenant: string) => ['deny-rules', tenant] as const };

export function useDenyRules(tenant: string) {
  return useInfiniteQuery({
    queryKey: denyRuleKeys.all(tenant),
    queryFn: ({ pageParam, signal }) => api<Page<DenyRuleDto>>(withQuery(consolePath(tenant, 'deny-rules'), { cursor: pageParam, limit: 25 }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export interface DenyRuleInput {
  agentId: string | null;
  toolId: string | null;
  resourcePattern: string | null;
  environment: string | null;
  reason: string;
}

export function useCreateDenyRule(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: DenyRuleInput) => api<DenyRuleDto>(consolePath(tenant, 'deny-rules'), { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: denyRuleKeys.all(tenant) }),
  });
}

export function useDeleteDenyRule(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<{ id: string }>(consolePath(tenant, 'deny-rules', id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: denyRuleKeys.all(tenant) }),
  });
}
