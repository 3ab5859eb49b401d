import type { ServiceContext } from '../context';
import { requirePermission } from '../auth/require';
import { parseInput } from '../validation';
import { conditionProblem } from './guardrails';
import { validateConditionSchema } from './schemas';

/**
 * The form's "Check" button: the same validation as saving (same CEL environment as decisions),
 * with the 0-based position of the problem so the form can point at it.
 */
export function checkCondition(ctx: ServiceContext, input: unknown): { ok: true } | { ok: false; message: string; position: number | null } {
  requirePermission(ctx, 'grants.read');
  const { condition } = parseInput(validateConditionSchema, input);
  if (condition.trim() === '') return { ok: true };
  const problem = conditionProblem(condition.trim());
  return problem ? { ok: false, message: problem.reason, position: problem.position } : { ok: true };
}
