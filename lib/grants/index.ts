// Grants: what other domains call. The approvals workflow creates jit grants with
// createGrantInTx(tx, ctx, input, { kind: 'jit', sourceRequestId }) inside its own transaction;
// reviews and completed tasks end grants with revokeGrantInTx.

export { createGrantInTx, revokeGrantInTx, grantStatus, type CreateGrantOptions } from './service';
export { checkGuardrails, standingRefusal, BREAK_GLASS_MAX_SECONDS } from './guardrails';
export { createGrantSchema, type CreateGrantInput, GRANT_KINDS, type GrantKindName } from './schemas';
