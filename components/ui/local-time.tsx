import { formatDateTime } from './format';

/**
 * A date in the viewer's locale and time zone. The server renders it in its own, so the text may
 * differ at hydration: that difference is expected, hence suppressHydrationWarning.
 */
export function LocalTime({ iso, empty = 'never' }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {formatDateTime(iso, empty)}
    </time>
  );
}
