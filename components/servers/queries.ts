'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { CreatedServerKey, Page, ServerDto, ServerInput, ServerKeyDto, ServerListItem, ServerStatus } from './types';

export const PAGE_SIZE = 25;

export interface ServerFilters {
  q: string;
  status: '' | ServerStatus;
}

// Every server query starts with ['servers', tenant]: one invalidation refreshes list, detail and keys.
export const serverKeys = {
  all: (tenant: string) => ['servers', tenant] as const,
  list: (tenant: string, filters: ServerFilters) => ['servers', tenant, 'list', filters] as const,
  options: (tenant: string) => ['servers', tenant, 'options'] as const,
  detail: (tenant: string, id: string) => ['servers', tenant, 'detail', id] as const,
  keys: (tenant: string, id: string) => ['servers', tenant, 'keys', id] as const,
};

export function useServerList(tenant: string, filters: ServerFilters) {
  return useInfiniteQuery({
    queryKey: serverKeys.list(tenant, filters),
    queryFn: ({ pageParam, signal }) =>
      api<Page<ServerListItem>>(withQuery(consolePath(tenant, 'servers'), { q: filters.q.trim(), status: filters.status, cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** servers as choices (tool form, tools filter): the first 200, which is every server in practice */
export function useServerOptions(tenant: string) {
  return useQuery({
    queryKey: serverKeys.options(tenant),
    queryFn: ({ signal }) => api<Page<ServerListItem>>(withQuery(consolePath(tenant, 'servers'), { limit: 200 }), { signal }),
    select: (page) => page.items.map((s) => ({ id: s.id, name: s.name, status: s.status })).sort((a, b) => a.name.localeCompare(b.name)),
  });
}

export function useServer(tenant: string, id: string, initialData: ServerDto) {
  return useQuery({
    queryKey: serverKeys.detail(tenant, id),
    queryFn: ({ signal }) => api<ServerDto>(consolePath(tenant, 'servers', id), { signal }),
    initialData,
  });
}

export function useServerKeyList(tenant: string, serverId: string) {
  return useInfiniteQuery({
    queryKey: serverKeys.keys(tenant, serverId),
    queryFn: ({ pageParam, signal }) =>
      api<Page<ServerKeyDto>>(withQuery(consolePath(tenant, 'servers', serverId, 'keys'), { cursor: pageParam, limit: PAGE_SIZE }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

function useInvalidateServers(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: serverKeys.all(tenant) });
}

export function useCreateServer(tenant: string) {
  const invalidate = useInvalidateServers(tenant);
  return useMutation({
    mutationFn: (input: ServerInput) => api<ServerDto>(consolePath(tenant, 'servers'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateServer(tenant: string, id: string) {
  const invalidate = useInvalidateServers(tenant);
  return useMutation({
    mutationFn: (input: ServerInput) => api<ServerDto>(consolePath(tenant, 'servers', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useSetServerStatus(tenant: string, id: string) {
  const invalidate = useInvalidateServers(tenant);
  return useMutation({
    mutationFn: (status: ServerStatus) => api<ServerDto>(consolePath(tenant, 'servers', id, 'status'), { method: 'POST', body: { status } }),
    onSuccess: invalidate,
  });
}

export function useCreateServerKey(tenant: string, serverId: string) {
  const invalidate = useInvalidateServers(tenant);
  return useMutation({
    mutationFn: (input: { name?: string; expiresInDays?: number }) => api<CreatedServerKey>(consolePath(tenant, 'servers', serverId, 'keys'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useRevokeServerKey(tenant: string) {
  const invalidate = useInvalidateServers(tenant);
  return useMutation({
    mutationFn: (keyId: string) => api<{ id: string; revokedAt: string }>(consolePath(tenant, 'server-keys', keyId, 'revoke'), { method: 'POST' }),
    onSuccess: invalidate,
  });
}
