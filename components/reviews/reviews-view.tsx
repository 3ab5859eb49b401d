'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { errorMessage } from '@/components/ui/form-errors';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { CampaignForm } from './campaign-form';
import { useCampaigns } from './queries';

/** Access review campaigns: recertification of high-risk and long-standing access. */
export function ReviewsView({ tenant, canManage }: { tenant: string; canManage: boolean }) {
  const router = useRouter();
  const campaigns = useCampaigns(tenant);
  const [formOpen, setFormOpen] = useState(false);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Access reviews</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Tool owners confirm or revoke each grant on their tools. At the deadline, unreviewed grants are revoked.</p>
        </div>
        {canManage && (
          <button type="button" className="btn-primary" aria-expanded={formOpen} onClick={() => setFormOpen((o) => !o)}>
            New review
          </button>
        )}
      </div>
      {formOpen && <CampaignForm tenant={tenant} onCancel={() => setFormOpen(false)} onCreated={(id) => router.push(`/t/${tenant}/reviews/${id}`)} />}
      {campaigns.isError && <ErrorAlert>Could not load reviews: {errorMessage(campaigns.error)}</ErrorAlert>}
      {campaigns.isPending ? (
        <p role="status" className="card p-6 text-sm text-slate-500">
          Loading reviews…
        </p>
      ) : campaigns.data && campaigns.data.length === 0 ? (
        <p className="card p-6 text-sm text-slate-600 dark:text-slate-400">No access reviews yet.</p>
      ) : (
        campaigns.data && (
          <DataTable
            caption="Access review campaigns"
            head={
              <>
                <Th>Campaign</Th>
                <Th>Status</Th>
                <Th>Progress</Th>
                <Th>Deadline</Th>
              </>
            }
          >
            {campaigns.data.map((c) => (
              <tr key={c.id} data-testid="campaign-row">
                <Td>
                  <Link href={`/t/${tenant}/reviews/${c.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    {c.name}
                  </Link>
                  <div className="text-xs text-slate-500">{c.scopeText}</div>
                </Td>
                <Td>
                  <Badge tone={c.status === 'open' ? 'amber' : 'slate'}>{c.status}</Badge>
                </Td>
                <Td className="text-xs tabular-nums">
                  {c.decided} of {c.total} reviewed · {c.kept} kept · {c.revoked + c.autoRevoked} revoked{c.autoRevoked > 0 && ` (${c.autoRevoked} at the deadline)`}
                </Td>
                <Td className="text-xs">
                  <LocalTime iso={c.deadline} />
                </Td>
              </tr>
            ))}
          </DataTable>
        )
      )}
    </div>
  );
}
