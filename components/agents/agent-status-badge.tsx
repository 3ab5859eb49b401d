import { Badge } from '@/components/ui/badge';
import type { AgentStatus } from './types';

/** data-testid="agent-status": e2e tests read the status from here, on the list and the detail page */
export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return (
    <Badge tone={status === 'active' ? 'green' : 'amber'} testId="agent-status">
      {status}
    </Badge>
  );
}
