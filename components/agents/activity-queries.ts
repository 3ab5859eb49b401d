'use client';

import { useQuery } from '@tanstack/react-query';
import { api, ApiError, consolePath } from '@/components/ui/api';

export interface AgentDecisionDto {
  id: string;
  time: string;
  tool: string;
  toolId: string | null;
  action: string | null;
  resource: string | null;
  allow: boolean;
  reason: string;
  explanation: string | null;
  onBehalfOf: string | null;
  grantId: string | null;
  taskId: string | null;
  source: string;
  serverId: string | null;
  serverName: string | null;
}

export interface AgentRequestDto {
  id: string;
  toolId: string;
  actions: string[];
  resource: string | null;
  durationSeconds: number;
  justification: string;
  taskId: string | null;
  onBehalfOf: string | null;
  expiresAt: string;
  createdAt: string;
  tool: { id: string; name: string; risk: string | null; serverName: string } | null;
  requestedBy: string | null;
  approvalsSoFar: number;
}

// a 403 is an answer (this role may not read it), not a failure worth retrying
const noRetryOn403 = (count: number, err: unknown) => !(err instanceof ApiError && err.status === 403) && count < 1;

export function useAgentDecisions(tenant: string, agentId: string) {
  return useQuery({
    queryKey: ['agent-decisions', tenant, agentId],
    queryFn: ({ signal }) => api<{ items: AgentDecisionDto[]; limit: number }>(consolePath(tenant, 'agents', agentId, 'decisions'), { signal }),
    retry: noRetryOn403,
    refetchInterval: 30_000,
  });
}

export function useAgentRequests(tenant: string, agentId: string) {
  return useQuery({
    queryKey: ['agent-requests', tenant, agentId],
    queryFn: ({ signal }) => api<{ items: AgentRequestDto[] }>(consolePath(tenant, 'agents', agentId, 'requests'), { signal }),
    retry: noRetryOn403,
  });
}
