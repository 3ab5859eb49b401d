import type { ReactNode } from 'react';

// Tables scroll sideways inside their card on narrow screens instead of squeezing columns. The
// card is `relative` so visually hidden (absolutely positioned) text in far-right cells stays
// inside the scroll area instead of widening the whole page on a phone.

export function DataTable({ caption, head, children }: { caption?: string; head: ReactNode; children: ReactNode }) {
  return (
    <div className="card relative overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          <tr>{head}</tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>
      </table>
    </div>
  );
}

export function Th({ children, className = '' }: { children?: ReactNode; className?: string }) {
  return (
    <th scope="col" className={`px-4 py-2 font-medium ${className}`}>
      {children}
    </th>
  );
}

export function Td({ children, className = '' }: { children?: ReactNode; className?: string }) {
  return <td className={`px-4 py-3 align-middle ${className}`}>{children}</td>;
}
