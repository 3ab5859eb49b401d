'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { DeliveryView, WebhookView } from '@/lib/webhooks/service';

export type { DeliveryView, WebhookView };

const keys = {
  all: (tenant: string) => ['webhooks', tenant] as const,
  list: (tenant: string) => ['webhooks', tenant, 'list'] as const,
  deliveries: (tenant: string, webhookId: string, status: string) => ['webhooks', tenant, 'deliveries', webhookId, status] as const,
};

export function useWebhooks(tenant: string) {
  return useQuery({ queryKey: keys.list(tenant), queryFn: ({ signal }) => api<WebhookView[]>(consolePath(tenant, 'webhooks'), { signal }), refetchInterval: 10_000 });
}

export function useDeliveries(tenant: string, webhookId: string, status: string) {
  return useInfiniteQuery({
    queryKey: keys.deliveries(tenant, webhookId, status),
    queryFn: ({ pageParam, signal }) =>
      api<{ items: DeliveryView[]; nextCursor: string | null }>(withQuery(consolePath(tenant, 'webhooks', 'deliveries'), { webhookId, status, cursor: pageParam, limit: 50 }), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    // deliveries change status in the background (the worker): keep the log live
    refetchInterval: 5_000,
  });
}

function useInvalidate(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all(tenant) });
}

export interface WebhookInput {
  url: string;
  secret?: string;
  events: string[];
  active?: boolean;
}

export function useCreateWebhook(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: WebhookInput) => api<WebhookView & { secret: string; secretGenerated: boolean }>(consolePath(tenant, 'webhooks'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateWebhook(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: ({ id, ...input }: { id: string; url?: string; events?: string[]; active?: boolean; rotateSecret?: boolean }) =>
      api<WebhookView & { secret?: string }>(consolePath(tenant, 'webhooks', id), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({ mutationFn: (id: string) => api(consolePath(tenant, 'webhooks', id), { method: 'DELETE' }), onSuccess: invalidate });
}

export function useTestWebhook(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({ mutationFn: (id: string) => api<{ deliveryId: string }>(consolePath(tenant, 'webhooks', id, 'test'), { method: 'POST', body: {} }), onSuccess: invalidate });
}

export function useRetryDelivery(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({ mutationFn: (id: string) => api(consolePath(tenant, 'webhooks', 'deliveries', id, 'retry'), { method: 'POST', body: {} }), onSettled: invalidate });
}
