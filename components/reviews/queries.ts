'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath } from '@/components/ui/api';
import type { getReviewCampaign, listReviewCampaigns } from '@/lib/reviews/service';

export type CampaignSummary = Awaited<ReturnType<typeof listReviewCampaigns>>[number];
export type CampaignDetail = Awaited<ReturnType<typeof getReviewCampaign>>;
export type ReviewItem = CampaignDetail['items'][number];

const keys = {
  all: (tenant: string) => ['reviews', tenant] as const,
  list: (tenant: string) => ['reviews', tenant, 'list'] as const,
  detail: (tenant: string, id: string) => ['reviews', tenant, 'detail', id] as const,
};

export function useCampaigns(tenant: string) {
  return useQuery({ queryKey: keys.list(tenant), queryFn: ({ signal }) => api<CampaignSummary[]>(consolePath(tenant, 'reviews'), { signal }) });
}

export function useCampaign(tenant: string, id: string, initialData: CampaignDetail) {
  return useQuery({ queryKey: keys.detail(tenant, id), queryFn: ({ signal }) => api<CampaignDetail>(consolePath(tenant, 'reviews', id), { signal }), initialData });
}

function useInvalidate(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all(tenant) });
}

export interface CampaignInput {
  name: string;
  scope: { elevated: boolean; standingOlderThanDays: number | null };
  deadline: string;
}

export function useCreateCampaign(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: CampaignInput) => api<{ id: string; items: number }>(consolePath(tenant, 'reviews'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useDecideItem(tenant: string, campaignId: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: ({ itemId, verdict, note }: { itemId: string; verdict: 'keep' | 'revoke'; note: string }) =>
      api<{ id: string; grantRevoked: boolean }>(consolePath(tenant, 'reviews', campaignId, 'items', itemId), { method: 'POST', body: { verdict, note } }),
    onSettled: invalidate,
  });
}
