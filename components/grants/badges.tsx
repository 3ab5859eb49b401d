import { Badge, type BadgeTone } from '@/components/ui/badge';
import { kindLabel, type GrantKind, type GrantStatus, type Risk } from './types';

const RISK_TONE: Record<Risk, BadgeTone> = { low: 'green', medium: 'amber', high: 'orange', critical: 'red' };

export function GrantRiskBadge({ risk }: { risk: Risk | null }) {
  if (!risk) return <Badge tone="slate">unclassified</Badge>;
  return <Badge tone={RISK_TONE[risk]}>{risk}</Badge>;
}

/** data-testid="grant-status": e2e tests read a grant's status from here */
export function GrantStatusBadge({ status, notYetValid }: { status: GrantStatus; notYetValid?: boolean }) {
  if (status === 'active' && notYetValid) return <Badge tone="indigo" testId="grant-status">scheduled</Badge>;
  const tone: BadgeTone = status === 'active' ? 'green' : status === 'revoked' ? 'red' : 'slate';
  return (
    <Badge tone={tone} testId="grant-status">
      {status}
    </Badge>
  );
}

export function GrantKindBadge({ kind }: { kind: GrantKind }) {
  const tone: BadgeTone = kind === 'standing' ? 'slate' : kind === 'jit' ? 'indigo' : 'red';
  return <Badge tone={tone}>{kindLabel(kind)}</Badge>;
}
