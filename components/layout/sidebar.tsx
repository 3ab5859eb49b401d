'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import type { NavItem } from './nav-items';
import { signOutAction } from '@/app/actions/sign-out';

export function Sidebar({ tenant, items, user, role }: { tenant: { slug: string; name: string }; items: NavItem[]; user: { email: string }; role: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const base = `/t/${tenant.slug}`;
  // the longest matching section wins, so /settings/members lights up Members, not Settings too
  const matches = (href: string) => (href === '' ? pathname === base : pathname === base + href || pathname.startsWith(base + href + '/'));
  const active = items.filter((i) => matches(i.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const isActive = (href: string) => href === active;
  return (
    <aside className="border-b border-slate-200 bg-white md:min-h-screen md:w-60 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center justify-between px-4 py-3">
        <div>
          <Link href={base} className="text-lg font-semibold tracking-tight">
            Toolwarden
          </Link>
          <div className="text-xs text-slate-500">{tenant.name}</div>
        </div>
        <button type="button" className="btn-secondary md:hidden" aria-expanded={open} aria-controls="console-nav" onClick={() => setOpen((o) => !o)}>
          Menu
        </button>
      </div>
      <nav id="console-nav" aria-label="Console" className={`${open ? 'block' : 'hidden'} px-2 pb-3 md:block`}>
        <ul className="space-y-0.5">
          {items.map((item) => (
            <li key={item.href}>
              <Link
                href={base + item.href}
                aria-current={isActive(item.href) ? 'page' : undefined}
                className={`flex items-center justify-between rounded-md px-3 py-1.5 text-sm ${isActive(item.href) ? 'bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
                onClick={() => setOpen(false)}
              >
                {item.label}
                {!item.ready && <span className="text-[10px] uppercase text-slate-400">soon</span>}
              </Link>
            </li>
          ))}
        </ul>
        <div className="mt-4 border-t border-slate-200 px-3 pt-3 text-xs text-slate-500 dark:border-slate-800">
          <div className="truncate" data-testid="current-user">
            {user.email}
          </div>
          <div>role: {role}</div>
          <form action={signOutAction} className="mt-2">
            <button type="submit" className="text-indigo-600 hover:underline dark:text-indigo-400">
              Sign out
            </button>
          </form>
        </div>
      </nav>
    </aside>
  );
}
