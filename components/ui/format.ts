/** Dates arrive as ISO strings; shown in the viewer's locale, "never" when absent. */
export function formatDateTime(iso: string | null | undefined, empty = 'never'): string {
  if (!iso) return empty;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? empty : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
