'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import { serverKeys } from '@/components/servers/queries';
import type { Page, Risk, Sensitivity, ToolAction, ToolDetail, ToolListItem, ToolStatus, ToolVersion } from './types';

export const PAGE_SIZE = 25;

export interface ToolFilters {
  q: string;
  serverId: string;
  status: '' | ToolStatus;
  risk: '' | Risk;
}

export const toolKeys = {
  all: (tenant: string) => ['tools', tenant] as const,
  list: (tenant: string, filters: ToolFilters) => ['tools', tenant, 'list', filters] as const,
  detail: (tenant: string, id: string) => ['tools', tenant, 'detail', id] as const,
  versions: (tenant: string, id: string) => ['tools', tenant, 'versions', id] as const,
};

export function useToolList(tenant: string, filters: ToolFilters, pageSize = PAGE_SIZE) {
  return useInfiniteQuery({
    queryKey: [...toolKeys.list(tenant, filters), pageSize],
    queryFn: ({ pageParam, signal }) =>
      api<Page<ToolListItem>>(
        withQuery(consolePath(tenant, 'tools'), { q: filters.q.trim(), serverId: filters.serverId, status: filters.status, risk: filters.risk, cursor: pageParam, limit: pageSize }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useTool(tenant: string, id: string, initialData: ToolDetail) {
  return useQuery({
    queryKey: toolKeys.detail(tenant, id),
    queryFn: ({ signal }) => api<ToolDetail>(consolePath(tenant, 'tools', id), { signal }),
    initialData,
  });
}

export function useToolVersions(tenant: string, id: string) {
  return useInfiniteQuery({
    queryKey: toolKeys.versions(tenant, id),
    queryFn: ({ pageParam, signal }) => api<Page<ToolVersion>>(withQuery(consolePath(tenant, 'tools', id, 'versions'), { cursor: pageParam, limit: 10 }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** tools and servers (their unclassified counts) refresh together */
function useInvalidateTools(tenant: string) {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: toolKeys.all(tenant) }), qc.invalidateQueries({ queryKey: serverKeys.all(tenant) })]);
}

export interface NewToolInput {
  serverId: string;
  name: string;
  title?: string;
  description?: string;
  inputSchema?: string;
}

export function useCreateTool(tenant: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: (input: NewToolInput) => api<{ id: string; name: string }>(consolePath(tenant, 'tools'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateTool(tenant: string, id: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: (input: { title?: string | null; description?: string; inputSchema?: string | null }) => api(consolePath(tenant, 'tools', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export interface Classification {
  risk: Risk;
  defaultAction: ToolAction;
  sensitivity: Sensitivity;
}

export function useClassifyTool(tenant: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: ({ id, ...body }: Classification & { id: string }) => api(consolePath(tenant, 'tools', id, 'classify'), { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

export function useSetToolStatus(tenant: string, id: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: (status: 'active' | 'disabled') => api(consolePath(tenant, 'tools', id, 'status'), { method: 'POST', body: { status } }),
    onSuccess: invalidate,
  });
}

export function useMarkDefinitionReviewed(tenant: string, id: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: () => api(consolePath(tenant, 'tools', id, 'review-definition'), { method: 'POST' }),
    onSuccess: invalidate,
  });
}

export function useAddToolOwner(tenant: string, id: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: (userId: string) => api(consolePath(tenant, 'tools', id, 'owners'), { method: 'POST', body: { userId } }),
    onSuccess: invalidate,
  });
}

export function useRemoveToolOwner(tenant: string, id: string) {
  const invalidate = useInvalidateTools(tenant);
  return useMutation({
    mutationFn: (userId: string) => api(consolePath(tenant, 'tools', id, 'owners', userId), { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
