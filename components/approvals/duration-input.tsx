'use client';

import { useState } from 'react';
import type { ControlProps } from '@/components/ui/field';

const UNITS = [
  { value: 1, label: 'seconds' },
  { value: 60, label: 'minutes' },
  { value: 3_600, label: 'hours' },
  { value: 86_400, label: 'days' },
] as const;

function split(seconds: number): { amount: string; unit: number } {
  for (const u of [...UNITS].reverse()) if (seconds >= u.value && seconds % u.value === 0) return { amount: String(seconds / u.value), unit: u.value };
  return { amount: String(seconds), unit: 1 };
}

/**
 * A duration as a number and a unit; reports whole seconds (NaN while the number is not one).
 * `units` limits the choice (break-glass has no days).
 */
export function DurationInput({
  control,
  seconds,
  onChange,
  units = [1, 60, 3_600, 86_400],
  label,
}: {
  control: ControlProps;
  seconds: number;
  onChange: (seconds: number) => void;
  units?: number[];
  label: string;
}) {
  const initial = split(Number.isFinite(seconds) ? seconds : 3600);
  const [amount, setAmount] = useState(initial.amount);
  const [unit, setUnit] = useState(units.includes(initial.unit) ? initial.unit : units[units.length - 1]!);
  const emit = (a: string, u: number) => {
    const n = Number(a);
    onChange(a.trim() !== '' && Number.isFinite(n) && n > 0 ? Math.round(n * u) : NaN);
  };
  return (
    <div className="flex gap-2">
      <input
        {...control}
        type="number"
        min={1}
        step="any"
        inputMode="decimal"
        className="input w-28"
        value={amount}
        onChange={(e) => {
          setAmount(e.target.value);
          emit(e.target.value, unit);
        }}
      />
      <select
        aria-label={`${label} unit`}
        className="input w-32"
        value={unit}
        onChange={(e) => {
          const u = Number(e.target.value);
          setUnit(u);
          emit(amount, u);
        }}
      >
        {UNITS.filter((u) => units.includes(u.value)).map((u) => (
          <option key={u.value} value={u.value}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}
