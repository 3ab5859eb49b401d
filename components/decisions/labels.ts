// Words for the decision log's codes, shared by the table, the drawer, the filters and charts.

export function reasonLabel(reason: string, authnReason?: string | null): string {
  const text = (s: string) => s.replace(/_/g, ' ');
  return authnReason ? `${text(reason)}: ${text(authnReason)}` : text(reason);
}

export const RANGE_LABELS: Record<string, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
};

/** the grant's own page in the Grants section */
export function grantHref(tenant: string, grantId: string): string {
  return `/t/${tenant}/grants/${encodeURIComponent(grantId)}`;
}

export function decisionsHref(tenant: string, filters: Record<string, string>): string {
  const qs = new URLSearchParams(filters).toString();
  return `/t/${tenant}/decisions${qs ? `?${qs}` : ''}`;
}

/** datetime-local input value (viewer's zone) ⇄ ISO instant in the URL */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function localInputToIso(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
