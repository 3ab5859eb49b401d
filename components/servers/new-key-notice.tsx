'use client';

import { CopyButton } from '@/components/ui/copy-button';
import type { CreatedServerKey } from './types';

function snippets(key: string, origin: string, serverName: string) {
  const env = `TOOLWARDEN_URL=${origin}\nTOOLWARDEN_KEY=${key}`;
  const ts = `// ${serverName}: ask Toolwarden before running a tool; anything but an allow is a deny.
async function mayCall(agentToken: string, tool: string, action: 'read' | 'write' | 'admin' | 'export', resource?: string) {
  try {
    const res = await fetch(\`\${process.env.TOOLWARDEN_URL}/api/v1/decisions\`, {
      method: 'POST',
      headers: { authorization: \`Bearer \${process.env.TOOLWARDEN_KEY}\`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: { token: agentToken }, tool, action, resource }),
      signal: AbortSignal.timeout(2000),
    });
    if (!res.ok) return { allow: false, reason: \`toolwarden_\${res.status}\` }; // fail closed
    const d = await res.json();
    return { allow: d.allow === true, reason: d.authorization.reason, explanation: d.authorization.explanation };
  } catch {
    return { allow: false, reason: 'toolwarden_unreachable' }; // fail closed
  }
}`;
  return { env, ts };
}

/**
 * The one time the full key is visible. It lives only in this component's props (the mutation's
 * result): navigating away or reloading drops it, and the server never returns it again.
 */
export function NewKeyNotice({ created, serverName, onDone }: { created: CreatedServerKey; serverName: string; onDone: () => void }) {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const { env, ts } = snippets(created.key, origin, serverName);
  return (
    <section
      aria-labelledby="new-key-heading"
      data-testid="new-key-notice"
      className="space-y-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 md:p-6 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <div>
        <h3 id="new-key-heading" className="text-base font-semibold">
          Copy this key now: it is shown only once
        </h3>
        <p className="mt-1">Toolwarden stores only a hash of it. If it is lost, create a new key and revoke this one.</p>
      </div>
      <div className="space-y-2">
        <label htmlFor="new-server-key" className="block font-medium">
          Server key{created.name ? ` “${created.name}”` : ''}
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="new-server-key"
            data-testid="new-server-key"
            readOnly
            value={created.key}
            className="input font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
          />
          <div className="shrink-0">
            <CopyButton text={created.key} label="Copy key" />
          </div>
        </div>
      </div>
      <div className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h4 className="font-medium">Environment for the MCP server</h4>
          <CopyButton text={env} label="Copy environment" />
        </div>
        <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
          <code>{env}</code>
        </pre>
      </div>
      <div className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h4 className="font-medium">TypeScript: check every tool call</h4>
          <CopyButton text={ts} label="Copy snippet" />
        </div>
        <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
          <code>{ts}</code>
        </pre>
      </div>
      <button type="button" className="btn-primary" onClick={onDone}>
        I have stored the key
      </button>
    </section>
  );
}
