import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { Risk } from './types';

const RISK_TONE: Record<Risk, BadgeTone> = { low: 'green', medium: 'amber', high: 'orange', critical: 'red' };

export function RiskBadge({ risk }: { risk: Risk | null }) {
  if (!risk) return <Badge tone="slate">unclassified</Badge>;
  return <Badge tone={RISK_TONE[risk]}>{risk}</Badge>;
}

const STATUS_TONE: Record<string, BadgeTone> = { pending: 'amber', approved: 'green', denied: 'red', expired: 'slate', cancelled: 'slate' };

/** data-testid="request-status": e2e tests read a request's status from here */
export function RequestStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={STATUS_TONE[status] ?? 'slate'} testId="request-status">
      {status}
    </Badge>
  );
}

/** Break-glass access is flagged wherever it appears. */
export function BreakGlassBadge() {
  return (
    <span title="Break-glass: given without approval, at most 1 hour, reviewed afterwards by a second person">
      <Badge tone="red" testId="break-glass-badge">
        break-glass
      </Badge>
    </span>
  );
}

export function GrantKindLabel({ kind }: { kind: string }) {
  if (kind === 'break_glass') return <BreakGlassBadge />;
  return <Badge tone={kind === 'jit' ? 'indigo' : 'slate'}>{kind === 'jit' ? 'just-in-time' : kind}</Badge>;
}
