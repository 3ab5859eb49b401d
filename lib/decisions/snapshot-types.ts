import type { PolicyData, PolicyIndex } from '../policy';
import type { AgentRecord, IdentityRecord, TrustDomainKeys } from '../identity';

// One tenant's decision data, compiled once per policy version and shared by every request.

export interface ServerRecord {
  id: string;
  name: string;
  audience: string;
  environment: string;
  mayAssertIdentity: boolean;
  status: 'active' | 'disabled';
}

export interface TenantSnapshot {
  tenantId: string;
  version: bigint;
  builtAt: number;
  data: PolicyData;
  index: PolicyIndex;
  servers: Map<string, ServerRecord>;
  trustDomains: TrustDomainKeys[];
  /** `${trustDomainId}\0${kind}\0${subject}` → identity */
  identities: Map<string, IdentityRecord>;
  agents: Map<string, AgentRecord>;
  captureArguments: boolean;
  maskedArgumentFields: string[];
}

export const identityKey = (trustDomainId: string, kind: string, subject: string) => `${trustDomainId}\u0000${kind}\u0000${subject}`;
