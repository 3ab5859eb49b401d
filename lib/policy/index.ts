// The policy engine's public API. Everything else in lib/policy is an implementation detail.

export { compile } from './compile';
export type { PolicyIndex } from './compile';
export { decide, MAX_CACHE_TTL_SECONDS } from './decide';
export { validateCondition, CONDITION_VARIABLES } from './condition';
export type { ConditionValidation } from './condition';
export * from './types';
