// The demo tenant's content: an invoicing team's billing MCP server and an ops server.

type Risk = 'low' | 'medium' | 'high' | 'critical';
type Action = 'read' | 'write' | 'admin' | 'export';
type Sens = 'public' | 'internal' | 'confidential' | 'restricted';
interface DemoTool {
  name: string;
  description: string;
  risk: Risk | null;
  suggestedRisk?: Risk;
  action: Action;
  sensitivity: Sens;
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  owner?: string;
}

export const DEMO = {
  tenant: { slug: 'acme', name: 'Acme Corp' },
  trustDomain: 'acme.test',
  users: [
    { email: 'admin@acme.test', name: 'Ada Admin', role: 'admin' as const },
    { email: 'security@acme.test', name: 'Sam Security', role: 'security' as const },
    { email: 'owner@acme.test', name: 'Olive Owner', role: 'member' as const },
    { email: 'auditor@acme.test', name: 'Audrey Auditor', role: 'auditor' as const },
  ],
  agents: [
    { name: 'billing-agent', description: 'Handles invoice questions and refunds for the billing team', environment: 'prod', owner: 'owner@acme.test' },
    { name: 'support-bot', description: 'Customer support assistant (read-only on billing)', environment: 'prod', owner: 'owner@acme.test' },
    { name: 'deploy-agent', description: 'Release automation for the platform team', environment: 'prod', owner: 'security@acme.test' },
    { name: 'analytics-agent', description: 'Monthly revenue reporting', environment: 'prod', owner: 'owner@acme.test' },
  ],
  servers: [
    {
      name: 'billing-mcp',
      description: 'Invoices, customers and refunds',
      audience: 'https://billing.mcp.acme.test',
      tools: [
        { name: 'get_invoice', description: 'Fetch one invoice by id', risk: 'low', action: 'read', sensitivity: 'internal', annotations: { readOnlyHint: true }, owner: 'owner@acme.test' },
        { name: 'list_customers', description: 'List customers with their plan', risk: 'low', action: 'read', sensitivity: 'confidential', annotations: { readOnlyHint: true }, owner: 'owner@acme.test' },
        { name: 'update_invoice', description: 'Change an open invoice (lines, due date)', risk: 'medium', action: 'write', sensitivity: 'confidential', annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true }, owner: 'owner@acme.test' },
        { name: 'export_ledger', description: 'Export the general ledger as CSV', risk: 'high', action: 'export', sensitivity: 'restricted', annotations: { readOnlyHint: true, openWorldHint: true }, owner: 'owner@acme.test' },
        { name: 'create_refund', description: 'Refund a payment to the customer’s card', risk: 'critical', action: 'write', sensitivity: 'restricted', annotations: { readOnlyHint: false, destructiveHint: true }, owner: 'owner@acme.test' },
      ] as DemoTool[],
    },
    {
      name: 'ops-mcp',
      description: 'Production operations',
      audience: 'https://ops.mcp.acme.test',
      tools: [
        { name: 'read_logs', description: 'Tail service logs', risk: 'low', action: 'read', sensitivity: 'internal', annotations: { readOnlyHint: true } },
        { name: 'restart_service', description: 'Restart a service deployment', risk: 'high', action: 'admin', sensitivity: 'internal', annotations: { destructiveHint: true, idempotentHint: true }, owner: 'security@acme.test' },
        { name: 'delete_database', description: 'Drop a database', risk: 'critical', action: 'admin', sensitivity: 'restricted', annotations: { destructiveHint: true }, owner: 'security@acme.test' },
        { name: 'run_sql', description: 'Run an SQL statement against a replica', risk: null, suggestedRisk: 'critical', action: 'write', sensitivity: 'restricted', annotations: {} },
      ] as DemoTool[],
    },
  ],
  grants: [
    { agent: 'support-bot', tool: 'get_invoice', actions: ['read'], justification: 'Answer invoice questions' },
    { agent: 'billing-agent', tool: 'get_invoice', actions: ['read'], justification: 'Billing workflows' },
    { agent: 'billing-agent', tool: 'list_customers', actions: ['read'], justification: 'Billing workflows' },
    {
      agent: 'billing-agent',
      tool: 'update_invoice',
      actions: ['read', 'write'],
      resources: ['invoice:*'],
      environments: ['prod'],
      condition: 'has(args.amount) ? args.amount <= 5000 : true',
      days: 30,
      justification: 'Invoice corrections up to 5,000',
    },
    { agent: 'deploy-agent', tool: 'read_logs', actions: ['read'], justification: 'Release verification' },
  ] as { agent: string; tool: string; actions: Action[]; resources?: string[]; environments?: string[]; condition?: string; days?: number; justification: string }[],
};
