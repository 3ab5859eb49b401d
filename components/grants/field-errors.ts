import { ApiError } from '@/components/ui/api';

/**
 * Like formErrors, but a nested name (resourcePatterns.2, agentIds.0) goes to its top field,
 * with the item number in the text, so list fields show the reason next to themselves.
 */
export function nestedFormErrors<F extends string>(error: unknown, fieldNames: readonly F[]): { fields: Partial<Record<F, string>>; general: string | null } {
  if (!error) return { fields: {}, general: null };
  if (!(error instanceof ApiError)) return { fields: {}, general: 'Something went wrong. Try again.' };
  if (error.invalidParams.length === 0) return { fields: {}, general: error.message };
  const fields: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const p of error.invalidParams) {
    const [head, index] = p.name.split('.');
    const field = fieldNames.find((f) => f === head);
    const reason = index !== undefined && /^\d+$/.test(index) ? `Entry ${Number(index) + 1}: ${p.reason}` : p.reason;
    if (field && !fields[field]) fields[field] = reason;
    else if (!field) rest.push(p.name === '(body)' ? p.reason : `${p.name}: ${p.reason}`);
  }
  return { fields, general: rest.length ? rest.join('; ') : null };
}
