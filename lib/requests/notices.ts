import type { WebhookPayload } from '../webhooks/events';
import { shortDuration } from '../approval-policies/rules';

// The webhook payloads of the request flow: one readable line (`text`, what Slack shows) and
// the details as fields. No secrets and no justification beyond what approvers see anyway.

interface RequestLike {
  id: string;
  actions: string[];
  resource: string | null;
  durationSeconds: number;
  justification: string;
  taskId: string | null;
  expiresAt: Date;
}

const scopeText = (r: { actions: string[]; resource: string | null }) => `${r.actions.join('+')}${r.resource ? ` on ${r.resource}` : ''}`;

export function requestCreatedNotice(
  r: RequestLike,
  who: { agentName: string; toolName: string; risk: string | null; requestedBy: string },
): WebhookPayload {
  return {
    text: `${who.requestedBy} requests ${scopeText(r)} on ${who.toolName} (${who.risk ?? 'unclassified'} risk) for agent ${who.agentName}, ${shortDuration(r.durationSeconds)}: "${r.justification}"`,
    request: {
      id: r.id,
      agent: who.agentName,
      tool: who.toolName,
      risk: who.risk,
      actions: r.actions,
      resource: r.resource,
      durationSeconds: r.durationSeconds,
      justification: r.justification,
      taskId: r.taskId,
      requestedBy: who.requestedBy,
      status: 'pending',
      expiresAt: r.expiresAt.toISOString(),
    },
  };
}

export function requestDecidedNotice(
  r: { id: string },
  d: {
    verdict: 'approved' | 'denied';
    agentName: string;
    toolName: string;
    decidedBy: string;
    comment: string;
    grant?: { id: string; expiresAt: Date; actions: string[]; resourcePatterns: string[] };
  },
): WebhookPayload {
  const text =
    d.verdict === 'approved'
      ? `${d.decidedBy} approved ${d.agentName}'s access to ${d.toolName}${d.grant ? ` until ${d.grant.expiresAt.toISOString()}` : ''}.`
      : `${d.decidedBy} denied ${d.agentName}'s access to ${d.toolName}${d.comment ? `: "${d.comment}"` : '.'}`;
  return {
    text,
    request: { id: r.id, agent: d.agentName, tool: d.toolName, status: d.verdict, decidedBy: d.decidedBy, comment: d.comment },
    ...(d.grant
      ? { grant: { id: d.grant.id, kind: 'jit', expiresAt: d.grant.expiresAt.toISOString(), actions: d.grant.actions, resourcePatterns: d.grant.resourcePatterns } }
      : {}),
  };
}
