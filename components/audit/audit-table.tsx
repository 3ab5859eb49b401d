'use client';

import { Fragment, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { LocalTime } from '@/components/ui/local-time';
import { DataTable, Td, Th } from '@/components/ui/table';
import { DiffView } from './diff-view';
import type { AuditItem } from './types';

/** The trail, newest first; each event opens in place to its before/after diff and metadata. */
export function AuditTable({ items, brokenSeq, highlightSeq }: { items: AuditItem[]; brokenSeq: string | null; highlightSeq: string | null }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set(highlightSeq ? [highlightSeq] : []));
  const toggle = (seq: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(seq)) n.delete(seq);
      else n.add(seq);
      return n;
    });
  return (
    <DataTable
      caption="Audit events, newest first"
      head={
        <>
          <Th className="w-16">Seq</Th>
          <Th>Time</Th>
          <Th>Actor</Th>
          <Th>Event</Th>
          <Th>Target</Th>
          <Th className="text-right">Details</Th>
        </>
      }
    >
      {items.map((e) => {
        const isOpen = open.has(e.seq);
        const broken = brokenSeq === e.seq;
        return (
          <Fragment key={e.id}>
            <tr data-testid="audit-row" data-seq={e.seq} data-event={e.event} className={broken ? 'bg-red-50 dark:bg-red-950/40' : ''}>
              <Td className="tabular-nums text-slate-500">
                {e.seq}
                {broken && (
                  <span className="ml-1">
                    <Badge tone="red" testId="broken-link">
                      broken
                    </Badge>
                  </span>
                )}
              </Td>
              <Td className="whitespace-nowrap">
                <LocalTime iso={e.time} />
              </Td>
              <Td className="max-w-[14rem] truncate">
                <span title={e.actorId ?? undefined}>{e.actorLabel ?? e.actorId ?? e.actorType}</span>
                {e.actorType !== 'user' && <span className="ml-1 text-xs text-slate-500">({e.actorType})</span>}
              </Td>
              <Td className="font-mono text-xs">{e.event}</Td>
              <Td className="max-w-[16rem] truncate">
                <span className="text-slate-500">{e.targetType.replace(/_/g, ' ')}</span> <span className="font-mono text-xs">{e.targetId ?? ''}</span>
              </Td>
              <Td className="text-right">
                <button type="button" className="text-sm text-indigo-700 hover:underline dark:text-indigo-300" aria-expanded={isOpen} onClick={() => toggle(e.seq)}>
                  {isOpen ? 'Hide' : 'Changes'}
                </button>
              </Td>
            </tr>
            {isOpen && (
              <tr data-testid="audit-detail" data-seq={e.seq}>
                <td colSpan={6} className="bg-slate-50 px-4 py-3 dark:bg-slate-950/60">
                  <DiffView before={e.before} after={e.after} />
                  <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-xs text-slate-600 sm:grid-cols-2 dark:text-slate-400">
                    <Meta term="Event id">{e.id}</Meta>
                    <Meta term="Request id">{e.requestId ?? '—'}</Meta>
                    <Meta term="IP">{e.ip ?? '—'}</Meta>
                    <Meta term="User agent">{e.userAgent ?? '—'}</Meta>
                    <Meta term="Hash">{e.hash}</Meta>
                    <Meta term="Previous hash">{e.prevHash}</Meta>
                  </dl>
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
    </DataTable>
  );
}

function Meta({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 gap-2">
      <dt className="shrink-0">{term}:</dt>
      <dd className="min-w-0 break-all font-mono">{children}</dd>
    </div>
  );
}
