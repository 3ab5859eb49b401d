'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '@/lib/auth/permissions';
import { api, consolePath } from '@/components/ui/api';
import type { AddMemberResult, MemberDto } from './types';

export const memberKeys = {
  all: (tenant: string) => ['members', tenant] as const,
};

/** also feeds the agents' owner select, hence `enabled` */
export function useMembers(tenant: string, enabled = true) {
  return useQuery({
    queryKey: memberKeys.all(tenant),
    queryFn: ({ signal }) => api<MemberDto[]>(consolePath(tenant, 'members'), { signal }),
    enabled,
  });
}

export function useAddMember(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; name?: string; role: Role }) => api<AddMemberResult>(consolePath(tenant, 'members'), { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all(tenant) }),
  });
}

export function useChangeMemberRole(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => api(consolePath(tenant, 'members', id), { method: 'PATCH', body: { role } }),
    // refetch on failure too: the select shows the role the server kept
    onSettled: () => qc.invalidateQueries({ queryKey: memberKeys.all(tenant) }),
  });
}

export function useRemoveMember(tenant: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(consolePath(tenant, 'members', id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: memberKeys.all(tenant) }),
  });
}
