'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { ConditionCheck, GrantDetailDto, GrantDto, GrantFilters, GrantOptions, MatrixDto, Page, ToolPolicy } from './types';

export const PAGE_SIZE = 25;

// Every grant query starts with ['grants', tenant]: one invalidation refreshes the list, the
// matrix, a grant's page and the agent page's grants after any change.
export const grantKeys = {
  all: (tenant: string) => ['grants', tenant] as const,
  list: (tenant: string, filters: Partial<GrantFilters>) => ['grants', tenant, 'list', filters] as const,
  agent: (tenant: string, agentId: string, status: string) => ['grants', tenant, 'agent', agentId, status] as const,
  detail: (tenant: string, id: string) => ['grants', tenant, 'detail', id] as const,
  matrix: (tenant: string, serverId: string) => ['grants', tenant, 'matrix', serverId] as const,
  options: (tenant: string) => ['grant-options', tenant] as const,
  policy: (tenant: string, toolId: string) => ['grant-policy', tenant, toolId] as const,
};

export function useGrantList(tenant: string, filters: Partial<GrantFilters>) {
  return useInfiniteQuery({
    queryKey: grantKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) => api<Page<GrantDto>>(withQuery(consolePath(tenant, 'grants'), { ...filters, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useAgentGrants(tenant: string, agentId: string, status: string) {
  return useInfiniteQuery({
    queryKey: grantKeys.agent(tenant, agentId, status),
    queryFn: ({ pageParam, signal }) =>
      api<Page<GrantDto> & { viewer: { canManage: boolean } }>(withQuery(consolePath(tenant, 'agents', agentId, 'grants'), { status, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useGrant(tenant: string, id: string, initialData: GrantDetailDto) {
  return useQuery({
    queryKey: grantKeys.detail(tenant, id),
    queryFn: ({ signal }) => api<GrantDetailDto>(consolePath(tenant, 'grants', id), { signal }),
    initialData,
  });
}

export function useGrantMatrix(tenant: string, serverId: string) {
  return useQuery({
    queryKey: grantKeys.matrix(tenant, serverId),
    queryFn: ({ signal }) => api<MatrixDto>(withQuery(consolePath(tenant, 'grants', 'matrix'), { serverId }), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useGrantOptions(tenant: string) {
  return useQuery({
    queryKey: grantKeys.options(tenant),
    queryFn: ({ signal }) => api<GrantOptions>(consolePath(tenant, 'grants', 'options'), { signal }),
    staleTime: 60_000,
  });
}

export function useToolPolicy(tenant: string, toolId: string) {
  return useQuery({
    queryKey: grantKeys.policy(tenant, toolId),
    queryFn: ({ signal }) => api<ToolPolicy>(consolePath(tenant, 'grants', 'tools', toolId, 'policy'), { signal }),
    enabled: toolId !== '',
  });
}

/** What the grant form sends: dates as ISO strings, empty values already dropped or null. */
export interface GrantScopeInput {
  actions: string[];
  resourcePatterns: string[];
  environments: string[];
  notBefore: string | null;
  expiresAt: string | null;
  maxUses: number | null;
  condition: string | null;
  delegation: string;
  delegationUsers: string[];
  justification: string | null;
}

function useInvalidateGrants(tenant: string) {
  const qc = useQueryClient();
  // agents carry a live-grant count in their list: refresh it too
  return () => Promise.all([qc.invalidateQueries({ queryKey: grantKeys.all(tenant) }), qc.invalidateQueries({ queryKey: ['agents', tenant] })]);
}

export function useCreateGrant(tenant: string) {
  const invalidate = useInvalidateGrants(tenant);
  return useMutation({
    mutationFn: (input: GrantScopeInput & { agentId: string; toolId: string }) => api<GrantDto>(consolePath(tenant, 'grants'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useBulkGrant(tenant: string) {
  const invalidate = useInvalidateGrants(tenant);
  return useMutation({
    mutationFn: (input: GrantScopeInput & { agentIds: string[]; toolId: string }) =>
      api<{ count: number; grants: GrantDto[] }>(consolePath(tenant, 'grants', 'bulk'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateGrant(tenant: string, id: string) {
  const invalidate = useInvalidateGrants(tenant);
  return useMutation({
    mutationFn: (input: Partial<GrantScopeInput>) => api<GrantDto>(consolePath(tenant, 'grants', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useRevokeGrant(tenant: string) {
  const invalidate = useInvalidateGrants(tenant);
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api<{ id: string }>(consolePath(tenant, 'grants', id, 'revoke'), { method: 'POST', body: { reason } }),
    onSuccess: invalidate,
  });
}

export function useCheckCondition(tenant: string) {
  return useMutation({
    mutationFn: (condition: string) => api<ConditionCheck>(consolePath(tenant, 'grants', 'validate-condition'), { method: 'POST', body: { condition } }),
  });
}
