export interface DenyRuleDto {
  id: string;
  agentId: string | null;
  toolId: string | null;
  resourcePattern: string | null;
  environment: string | null;
  reason: string;
  createdById: string | null;
  createdAt: string;
  agent: { id: string; name: string } | null;
  tool: { id: string; name: string; serverName: string } | null;
  createdBy: { id: string; email: string } | null;
}
