'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { AgentBase, AgentDetail, AgentListItem, AgentStatus, IdentityKind, IdentityStatus, Page, TrustDomainOption } from './types';

export const PAGE_SIZE = 25;

export interface AgentFilters {
  q: string;
  status: '' | AgentStatus;
}

// Every agent query starts with ['agents', tenant], so one invalidation refreshes list and detail.
export const agentKeys = {
  all: (tenant: string) => ['agents', tenant] as const,
  list: (tenant: string, filters: AgentFilters) => ['agents', tenant, 'list', filters] as const,
  detail: (tenant: string, id: string) => ['agents', tenant, 'detail', id] as const,
  trustDomains: (tenant: string) => ['trust-domains', tenant] as const,
};

export function useAgentList(tenant: string, filters: AgentFilters) {
  return useInfiniteQuery({
    queryKey: agentKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<AgentListItem>>(withQuery(consolePath(tenant, 'agents'), { q: filters.q.trim(), status: filters.status, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // keep the rows on screen while a new search runs, instead of flashing "Loading…"
    placeholderData: keepPreviousData,
  });
}

export function useAgent(tenant: string, id: string, initialData: AgentDetail) {
  return useQuery({
    queryKey: agentKeys.detail(tenant, id),
    queryFn: ({ signal }) => api<AgentDetail>(consolePath(tenant, 'agents', id), { signal }),
    initialData,
  });
}

export function useTrustDomainOptions(tenant: string, enabled = true) {
  return useQuery({
    queryKey: agentKeys.trustDomains(tenant),
    queryFn: ({ signal }) => api<TrustDomainOption[]>(consolePath(tenant, 'trust-domains'), { signal }),
    enabled,
  });
}

export interface AgentInput {
  name?: string;
  description?: string;
  environment?: string;
  ownerUserId?: string | null;
}

/** waits for the refetch, so a mutation is "pending" until the screen shows its result */
function useInvalidateAgents(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: agentKeys.all(tenant) });
}

export function useCreateAgent(tenant: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: (input: AgentInput) => api<AgentBase>(consolePath(tenant, 'agents'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateAgent(tenant: string, id: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: (input: AgentInput) => api<AgentBase>(consolePath(tenant, 'agents', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useSetAgentStatus(tenant: string, id: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: (status: AgentStatus) => api<AgentBase>(consolePath(tenant, 'agents', id, 'status'), { method: 'POST', body: { status } }),
    onSuccess: invalidate,
  });
}

export function useDeleteAgent(tenant: string, id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ id: string }>(consolePath(tenant, 'agents', id), { method: 'DELETE' }),
    // drop rather than refetch: the detail would 404, and a cached list would flash the deleted
    // agent when the caller navigates back to it
    onSuccess: () => qc.removeQueries({ queryKey: agentKeys.all(tenant) }),
  });
}

export function useCreateIdentity(tenant: string, agentId: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: (input: { trustDomainId: string; kind: IdentityKind; subject: string }) =>
      api(consolePath(tenant, 'agents', agentId, 'identities'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useSetIdentityStatus(tenant: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: IdentityStatus }) => api(consolePath(tenant, 'identities', id, 'status'), { method: 'POST', body: { status } }),
    onSuccess: invalidate,
  });
}

export function useDeleteIdentity(tenant: string) {
  const invalidate = useInvalidateAgents(tenant);
  return useMutation({
    mutationFn: (id: string) => api(consolePath(tenant, 'identities', id), { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
