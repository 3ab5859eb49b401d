// Local mode: the server's snapshot (GET /api/v1/snapshot) compiled once per change, and each
// call decided in-process by exactly the code the API runs — lib/decisions/evaluate.ts composing
// lib/identity (token verification) and lib/policy (compile/decide). The SDK only adapts the
// snapshot's shape to the one that code reads.

import { authenticateSubject, authorizeCheck, type Authentication as EngineAuthentication } from '../../lib/decisions/evaluate.js';
import { identityKey, type ServerRecord, type TenantSnapshot } from '../../lib/decisions/snapshot-types.js';
import { compile, type Decision, type PolicyData } from '../../lib/policy/index.js';
import type { AgentRecord, IdentityRecord, KeyResolver, SignatureCache, TrustDomainKeys } from '../../lib/identity/index.js';
import type { Check } from './types.js';

/** The body of GET /api/v1/snapshot (lib/decisions/server-snapshot.ts). */
export interface ServerSnapshotBody {
  version: string;
  server: { id: string; name: string; audience: string; environment: string };
  policy: PolicyData;
  trustDomains: TrustDomainKeys[];
  identities: IdentityRecord[];
  agents: AgentRecord[];
}

export class SnapshotError extends Error {
  override name = 'ToolwardenSnapshotError';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shape check before compiling: a body that is not a snapshot must not replace a good one. */
export function assertSnapshot(body: unknown): asserts body is ServerSnapshotBody {
  if (!isObject(body)) throw new SnapshotError('snapshot is not an object');
  const server = body.server;
  if (!isObject(server) || typeof server.id !== 'string' || typeof server.audience !== 'string' || typeof server.environment !== 'string') {
    throw new SnapshotError('snapshot.server is missing id, audience or environment');
  }
  const policy = body.policy;
  if (!isObject(policy) || !Array.isArray(policy.tools) || !Array.isArray(policy.grants) || !Array.isArray(policy.denyRules)) {
    throw new SnapshotError('snapshot.policy must have tools, grants and denyRules arrays');
  }
  for (const key of ['trustDomains', 'identities', 'agents'] as const) {
    if (!Array.isArray(body[key])) throw new SnapshotError(`snapshot.${key} must be an array`);
  }
}

export class LocalPolicy {
  private constructor(
    readonly snapshot: TenantSnapshot,
    readonly server: ServerRecord,
    readonly version: string,
    readonly etag: string | null,
  ) {}

  static fromSnapshot(body: unknown, etag: string | null, now: number = Date.now()): LocalPolicy {
    assertSnapshot(body);
    const identities = new Map<string, IdentityRecord>();
    for (const i of body.identities) identities.set(identityKey(i.trustDomainId, i.kind, i.subject), i);
    const server: ServerRecord = {
      id: body.server.id,
      name: body.server.name,
      audience: body.server.audience,
      environment: body.server.environment,
      // identities asserted by an mTLS-terminating server go through the API, not local mode
      mayAssertIdentity: false,
      status: 'active',
    };
    const snapshot: TenantSnapshot = {
      tenantId: '',
      version: 0n,
      builtAt: now,
      data: body.policy,
      index: compile(body.policy),
      servers: new Map([[server.id, server]]),
      trustDomains: body.trustDomains,
      identities,
      agents: new Map(body.agents.map((a) => [a.id, a])),
      captureArguments: false,
      maskedArgumentFields: [],
    };
    return new LocalPolicy(snapshot, server, String(body.version), etag);
  }

  get audience(): string {
    return this.server.audience;
  }

  authenticate(token: string | undefined, now: number, keyResolver: KeyResolver, signatures: SignatureCache): Promise<EngineAuthentication> {
    return authenticateSubject(this.snapshot, this.server, { token }, now, keyResolver, signatures);
  }

  authorize(authn: EngineAuthentication, check: Check, now: number): Decision {
    return authorizeCheck(this.snapshot, this.server, authn, check, now);
  }
}
