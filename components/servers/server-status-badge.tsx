import { Badge } from '@/components/ui/badge';
import type { ServerStatus } from './types';

export function ServerStatusBadge({ status }: { status: ServerStatus }) {
  return (
    <Badge tone={status === 'active' ? 'green' : 'slate'} testId="server-status">
      {status}
    </Badge>
  );
}
