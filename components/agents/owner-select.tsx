'use client';

import type { ControlProps } from '@/components/ui/field';
import { useMembers } from '@/components/members/queries';

/** "" means no owner; the caller maps it to null */
export function OwnerSelect({ tenant, value, onChange, control }: { tenant: string; value: string; onChange: (v: string) => void; control: ControlProps }) {
  const members = useMembers(tenant);
  return (
    <select {...control} className="input" value={value} onChange={(e) => onChange(e.target.value)} disabled={members.isPending}>
      <option value="">{members.isPending ? 'Loading members…' : 'No owner'}</option>
      {members.data?.map((m) => (
        <option key={m.user.id} value={m.user.id}>
          {m.user.name} ({m.user.email})
        </option>
      ))}
    </select>
  );
}
