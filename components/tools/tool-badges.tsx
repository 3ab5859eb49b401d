import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { Risk, ToolStatus } from './types';

const RISK_TONE: Record<Risk, BadgeTone> = { low: 'green', medium: 'amber', high: 'orange', critical: 'red' };

export function RiskBadge({ risk, suggested = false }: { risk: Risk | null; suggested?: boolean }) {
  if (!risk) return <span className="text-xs text-slate-500">not set</span>;
  if (suggested) {
    return (
      <span title={`Suggested from the tool's annotations: ${risk}. Not classified yet.`}>
        <Badge tone={RISK_TONE[risk]} testId="tool-risk">
          {risk}?
        </Badge>
      </span>
    );
  }
  return (
    <Badge tone={RISK_TONE[risk]} testId="tool-risk">
      {risk}
    </Badge>
  );
}

export function ToolStatusBadge({ status }: { status: ToolStatus }) {
  const tone: BadgeTone = status === 'active' ? 'green' : status === 'unclassified' ? 'amber' : 'slate';
  return (
    <Badge tone={tone} testId="tool-status">
      {status}
    </Badge>
  );
}

/** a definition that changed while grants were live on it: look before trusting those grants */
export function DefinitionChangedBadge({ liveGrants }: { liveGrants: number }) {
  return (
    <span title={`The definition changed while ${liveGrants} live grant(s) existed`}>
      <Badge tone="red" testId="definition-changed">
        definition changed
      </Badge>
    </span>
  );
}
