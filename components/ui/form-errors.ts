import { ApiError } from './api';

export interface FormErrors<F extends string> {
  /** reasons to show next to their field */
  fields: Partial<Record<F, string>>;
  /** what cannot be shown next to a field (or null): goes in an alert */
  general: string | null;
}

/**
 * Splits a mutation error into per-field reasons and the rest. When every invalid param has a
 * field on screen, nothing is repeated in the alert: the same sentence twice reads as two problems.
 */
export function formErrors<F extends string>(error: unknown, fieldNames: readonly F[]): FormErrors<F> {
  if (!error) return { fields: {}, general: null };
  if (!(error instanceof ApiError)) return { fields: {}, general: 'Something went wrong. Try again.' };
  if (error.invalidParams.length === 0) return { fields: {}, general: error.message };
  const fields: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  for (const p of error.invalidParams) {
    const field = fieldNames.find((f) => f === p.name);
    if (field && !fields[field]) fields[field] = p.reason;
    else if (!field) rest.push(p.name === '(body)' ? p.reason : `${p.name}: ${p.reason}`);
  }
  return { fields, general: rest.length ? rest.join('; ') : null };
}

/** an error's message for an alert, whatever threw it */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Try again.';
}
