'use client';

import Link from 'next/link';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { OutcomeBadge } from './outcome-badge';
import { reasonLabel } from './labels';
import type { DecisionItem } from './types';

export function DecisionTable({ tenant, items, onOpen }: { tenant: string; items: DecisionItem[]; onOpen: (id: string) => void }) {
  return (
    <DataTable
      caption="Decisions, newest first"
      head={
        <>
          <Th>Time</Th>
          <Th>Outcome</Th>
          <Th>Agent</Th>
          <Th>Tool</Th>
          <Th>Action</Th>
          <Th>Resource</Th>
          <Th>Reason</Th>
          <Th>Server</Th>
        </>
      }
    >
      {items.map((d) => (
        <tr key={d.id} data-testid="decision-row" data-decision-id={d.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
          <Td className="whitespace-nowrap">
            <button type="button" className="text-left font-medium text-indigo-700 hover:underline dark:text-indigo-300" onClick={() => onOpen(d.id)} aria-label={`Open decision ${d.id}`}>
              <LocalTime iso={d.time} />
            </button>
          </Td>
          <Td>
            <OutcomeBadge allow={d.allow} />
          </Td>
          <Td className="max-w-[12rem] truncate">
            {d.agentId ? (
              <Link href={`/t/${tenant}/agents/${d.agentId}`} className="hover:underline" title={d.subject ?? undefined}>
                {d.agentName ?? d.agentId}
              </Link>
            ) : (
              <span className="text-slate-500" title={d.subject ?? undefined}>
                {d.subject ? 'unknown identity' : '—'}
              </span>
            )}
          </Td>
          <Td className="font-mono text-xs">{d.tool}</Td>
          <Td>{d.action ?? '—'}</Td>
          <Td className="max-w-[14rem] truncate font-mono text-xs">
            <span title={d.resource ?? undefined}>{d.resource ?? '—'}</span>
          </Td>
          <Td>
            <span data-testid="decision-reason">{reasonLabel(d.reason, d.authnReason)}</span>
          </Td>
          <Td className="max-w-[10rem] truncate">{d.serverName ?? d.serverId ?? '—'}</Td>
        </tr>
      ))}
    </DataTable>
  );
}
