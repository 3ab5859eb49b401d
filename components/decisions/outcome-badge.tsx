import { Badge } from '@/components/ui/badge';

export function OutcomeBadge({ allow }: { allow: boolean }) {
  return (
    <Badge tone={allow ? 'green' : 'red'} testId="decision-outcome">
      {allow ? 'allow' : 'deny'}
    </Badge>
  );
}
