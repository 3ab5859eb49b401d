'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, consolePath } from '@/components/ui/api';
import type { ApprovalPolicyView } from '@/lib/approval-policies/service';

export type { ApprovalPolicyView };

export interface PolicyRuleInput {
  standingAllowed: boolean;
  approvalsRequired: number;
  approvers: string;
  maxDurationSeconds: number | null;
  requestExpirySeconds: number;
  singleUse: boolean;
}

export interface PolicyToolOption {
  id: string;
  name: string;
  risk: 'low' | 'medium' | 'high' | 'critical' | null;
  status: string;
  serverName: string;
}

const keys = {
  all: (tenant: string) => ['approval-policies', tenant] as const,
  tools: (tenant: string) => ['approval-policies', tenant, 'tools'] as const,
};

export function usePolicies(tenant: string) {
  return useQuery({
    queryKey: keys.all(tenant),
    queryFn: ({ signal }) => api<{ defaults: ApprovalPolicyView[]; overrides: ApprovalPolicyView[] }>(consolePath(tenant, 'approval-policies'), { signal }),
  });
}

export function usePolicyTools(tenant: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.tools(tenant),
    queryFn: ({ signal }) => api<PolicyToolOption[]>(consolePath(tenant, 'approval-policies', 'tools'), { signal }),
    enabled,
  });
}

function useInvalidate(tenant: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: keys.all(tenant) });
}

export function useUpdateRiskPolicy(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: PolicyRuleInput & { risk: string }) => api<ApprovalPolicyView>(consolePath(tenant, 'approval-policies'), { method: 'PATCH', body: input }),
    onSuccess: invalidate,
  });
}

export function useSetToolPolicy(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (input: PolicyRuleInput & { toolId: string }) => api<ApprovalPolicyView>(consolePath(tenant, 'approval-policies', 'tools'), { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useRemoveToolPolicy(tenant: string) {
  const invalidate = useInvalidate(tenant);
  return useMutation({
    mutationFn: (toolId: string) => api(consolePath(tenant, 'approval-policies', 'tools', toolId), { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
