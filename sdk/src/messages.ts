import type { Action, ToolDecision } from './types.js';

// What the model reads when a call is refused: which tool, the reason code, the engine's
// one-sentence explanation (what would have allowed it), and — when a person's approval could
// change the answer — exactly how to ask for it.

export interface DenialTextOptions {
  /** name of the access-request tool this server offers, if any */
  accessRequestTool?: string | null;
  /** the action the call was checked for, when the SDK knows it */
  action?: Action | null;
  resource?: string;
}

export function denialText(tool: string, decision: ToolDecision, opts: DenialTextOptions = {}): string {
  if (decision.source === 'fail_closed') {
    if (decision.reason === 'decision_log_full') {
      return `The call to ${tool} was refused: Toolwarden's decision log cannot take more entries right now (the API has been unreachable), and a decision that cannot be logged is not made. Try again later.`;
    }
    return `The call to ${tool} was refused because Toolwarden, which authorizes every tool call, could not be asked (${decision.explanation}). Nothing was run. Try again later.`;
  }
  const lines = [`Toolwarden denied the call to ${tool}.`, `Reason: ${decision.reason} — ${decision.explanation}`];
  if (decision.approvalRequired) {
    const action = decision.action ?? opts.action ?? null;
    if (opts.accessRequestTool) {
      const example: Record<string, unknown> = {
        tool,
        actions: [action ?? 'read|write|admin|export'],
        ...(opts.resource !== undefined ? { resource: opts.resource } : {}),
        justification: '<why this task needs it>',
      };
      lines.push(
        `A person can approve access. To ask, call the "${opts.accessRequestTool}" tool with ${JSON.stringify(example)}, then retry ${tool} once the request is approved.`,
      );
    } else {
      lines.push(
        `A person can approve access: an access request for ${tool}${action ? ` (${action})` : ''} can be filed in the Toolwarden console, or by this server (requestAccess). Retry once it is approved.`,
      );
    }
  } else if (decision.reason === 'not_authenticated') {
    lines.push('The credential presented with this call was not accepted; obtain a new token for this server and reconnect.');
  }
  if (decision.decisionId) lines.push(`Decision id: ${decision.decisionId}`);
  return lines.join('\n');
}
