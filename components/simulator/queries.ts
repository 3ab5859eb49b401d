'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { api, consolePath } from '@/components/ui/api';
import type { GrantOptions } from '@/components/grants/types';
import type { SimulationDto, SimulationInput } from './types';

export function useSimulatorOptions(tenant: string) {
  return useQuery({
    queryKey: ['simulator-options', tenant],
    queryFn: ({ signal }) => api<GrantOptions>(consolePath(tenant, 'simulator', 'options'), { signal }),
    staleTime: 60_000,
  });
}

/** a POST because the input can be large (a token, arguments); it changes nothing */
export function useSimulate(tenant: string) {
  return useMutation({
    mutationFn: (input: SimulationInput) => api<SimulationDto>(consolePath(tenant, 'simulator'), { method: 'POST', body: input }),
  });
}
