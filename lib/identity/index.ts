// Public surface of agent authentication. Everything here is usable from the decision service
// and from the SDK (no database, no Node-only APIs).

export * from './types';
export { verifyAgentToken, type VerifyAgentTokenOptions } from './verify-token';
export { createKeyResolver, type KeyResolverOptions } from './key-resolver';
export { KeyResolutionError, type KeyResolver, type ResolvedKey, type ResolvedKeySet } from './key-set';
export { validateJwks, type JwksValidation, type ValidatedJwk } from './validate-jwks';
export { ASYMMETRIC_ALGS, isAsymmetricAlg, type AsymmetricAlg } from './algorithms';
export { parseSpiffeId, type SpiffeIdParse } from './spiffe-id';
export { CLOCK_SKEW_SECONDS } from './token-claims';
export { SignatureCache } from './signature-cache';
