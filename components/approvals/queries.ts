'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { BreakGlassItem, DecideResult, Page, RequestDetail, RequestListItem, RequestOptions } from './types';

export type RequestView = 'waiting' | 'all' | 'mine';

// Every approvals query starts with ['requests', tenant]: a decision refreshes inbox and detail.
export const requestKeys = {
  all: (tenant: string) => ['requests', tenant] as const,
  list: (tenant: string, view: RequestView, status: string) => ['requests', tenant, 'list', view, status] as const,
  detail: (tenant: string, id: string) => ['requests', tenant, 'detail', id] as const,
  options: (tenant: string) => ['requests', tenant, 'options'] as const,
  breakGlass: (tenant: string, view: string) => ['requests', tenant, 'break-glass', view] as const,
};

export function useRequestList(tenant: string, view: RequestView, status: string) {
  return useInfiniteQuery({
    queryKey: requestKeys.list(tenant, view, status),
    queryFn: ({ pageParam, signal }) => api<Page<RequestListItem>>(withQuery(consolePath(tenant, 'requests'), { view, status, cursor: pageParam, limit: 50 }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    // an inbox: new requests show up without a reload
    refetchInterval: 15_000,
  });
}

export function useRequestDetail(tenant: string, id: string, initialData: RequestDetail) {
  return useQuery({
    queryKey: requestKeys.detail(tenant, id),
    queryFn: ({ signal }) => api<RequestDetail>(consolePath(tenant, 'requests', id), { signal }),
    initialData,
    refetchInterval: 10_000,
  });
}

export function useRequestOptions(tenant: string, enabled = true) {
  return useQuery({
    queryKey: requestKeys.options(tenant),
    queryFn: ({ signal }) => api<RequestOptions>(consolePath(tenant, 'requests', 'options'), { signal }),
    enabled,
    staleTime: 60_000,
  });
}

export function useBreakGlassList(tenant: string, view: 'pending' | 'all', enabled = true) {
  return useQuery({
    queryKey: requestKeys.breakGlass(tenant, view),
    queryFn: ({ signal }) => api<BreakGlassItem[]>(withQuery(consolePath(tenant, 'break-glass'), { view }), { signal }),
    enabled,
  });
}

function useInvalidate(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: requestKeys.all(tenant) });
}

export interface NewRequestInput {
  agentId: string;
  toolId: string;
  actions: string[];
  resource?: string;
  durationSeconds: number;
  justification: string;
  taskId?: string;
}

export function useCreateRequest(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: NewRequestInput) => api<{ id: string; status: string; expiresAt: string }>(consolePath(tenant, 'requests'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export interface DecideInput {
  verdict: 'approve' | 'deny';
  comment: string;
  durationSeconds?: number;
  actions?: string[];
  resource?: string;
}

export function useDecide(tenant: string, id: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: DecideInput) => api<DecideResult>(consolePath(tenant, 'approvals', id), { method: 'POST', body: input }),
    // a 409 means someone else decided meanwhile: refresh to show what happened
    onSettled: invalidate,
  });
}

export function useCancelRequest(tenant: string, id: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: () => api(consolePath(tenant, 'requests', id, 'cancel'), { method: 'POST', body: {} }),
    onSettled: invalidate,
  });
}

export function useRevokeRequestGrant(tenant: string, id: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (reason: string) => api(consolePath(tenant, 'requests', id, 'revoke-grant'), { method: 'POST', body: { reason } }),
    onSettled: invalidate,
  });
}

export interface BreakGlassInput {
  agentId: string;
  toolId: string;
  actions: string[];
  resource?: string;
  durationSeconds: number;
  justification: string;
}

export function useCreateBreakGlass(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: BreakGlassInput) => api<{ id: string; expiresAt: string }>(consolePath(tenant, 'break-glass'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function usePostReview(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: ({ id, note, revoke }: { id: string; note: string; revoke: boolean }) =>
      api<{ id: string; revoked: boolean }>(consolePath(tenant, 'break-glass', id, 'review'), { method: 'POST', body: { note, revoke } }),
    onSettled: invalidate,
  });
}
