'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, consolePath, withQuery } from '@/components/ui/api';
import type { OverviewDto, OverviewRange } from './types';

export function useOverview(tenant: string, range: OverviewRange) {
  // the viewer's zone, so "a day" on the chart is their day
  const tz = typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
  return useQuery({
    queryKey: ['overview', tenant, range, tz],
    queryFn: ({ signal }) => api<OverviewDto>(withQuery(consolePath(tenant, 'overview'), { range, tz }), { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
