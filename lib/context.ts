// Who is acting, for which tenant, from where. Every domain service takes this explicitly:
// services never read a Request or a session themselves.

export type ActorType = 'user' | 'server' | 'system';

export interface Actor {
  type: ActorType;
  id: string | null;
  /** e-mail, server name… shown in the audit trail */
  label: string;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface ServiceContext {
  tenantId: string;
  actor: Actor;
  /** the acting user's role in this tenant (absent for server and system actors) */
  role?: import('./auth/permissions').Role;
  requestMeta: RequestMeta;
}

export function systemContext(tenantId: string, requestId = 'system'): ServiceContext {
  return {
    tenantId,
    actor: { type: 'system', id: null, label: 'system' },
    requestMeta: { ip: null, userAgent: null, requestId },
  };
}
