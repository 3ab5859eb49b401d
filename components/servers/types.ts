// The console API's JSON shapes for servers and keys (dates as ISO strings), as the client sees them.

export type ServerStatus = 'active' | 'disabled';

export interface ServerDto {
  id: string;
  name: string;
  description: string;
  audience: string;
  environment: string;
  mayAssertIdentity: boolean;
  status: ServerStatus;
  createdAt: string;
  updatedAt: string;
}

export interface ServerListItem extends ServerDto {
  toolCount: number;
  unclassifiedCount: number;
  /** not revoked and not expired */
  activeKeyCount: number;
}

export interface ServerKeyDto {
  id: string;
  serverId: string;
  /** twk_<id>_… — recognisable, useless as a credential */
  prefix: string;
  name: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** only in the answer to "create key": the full key, shown once */
export interface CreatedServerKey {
  id: string;
  prefix: string;
  name: string;
  expiresAt: string | null;
  serverId: string;
  key: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ServerInput {
  name?: string;
  description?: string;
  audience?: string;
  environment?: string;
  mayAssertIdentity?: boolean;
}
