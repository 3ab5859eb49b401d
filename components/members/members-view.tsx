'use client';

import { useRouter } from 'next/navigation';
import { ErrorAlert } from '@/components/ui/alert';
import { errorMessage } from '@/components/ui/form-errors';
import { AddMemberForm } from './add-member-form';
import { MemberTable } from './member-table';
import { useMembers } from './queries';

export function MembersView({ tenant, canManage, currentUserId }: { tenant: string; canManage: boolean; currentUserId: string }) {
  const router = useRouter();
  const members = useMembers(tenant);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">People who can sign in to this tenant, and what their role lets them do.</p>
      </div>
      {canManage && <AddMemberForm tenant={tenant} />}
      {members.isError && <ErrorAlert>Could not load members: {errorMessage(members.error)}</ErrorAlert>}
      {members.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading members…
        </p>
      ) : (
        members.data && (
          <MemberTable
            members={members.data}
            tenant={tenant}
            canManage={canManage}
            currentUserId={currentUserId}
            // the server decides again what this user may see: re-render from it, or leave
            onOwnAccessChanged={(removed) => {
              if (removed) window.location.href = '/';
              else router.refresh();
            }}
          />
        )
      )}
    </div>
  );
}
