'use client';

import { useRef, useState } from 'react';

type State =
  | { phase: 'idle' }
  | { phase: 'running'; bytes: number; rows: number }
  | { phase: 'done'; bytes: number; rows: number; filename: string }
  | { phase: 'failed'; message: string };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function filenameFrom(res: Response, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return m ? m[1] : fallback;
}

/**
 * Downloads a streamed export with a live counter: reads the response as it arrives (rows and
 * bytes received so far), then hands the browser the file. Cancel stops the transfer; a server
 * refusal (403, 400) is shown instead of saving an error page as the file.
 */
export function StreamDownloadButton({ href, label, fallbackFilename, headerLines = 0, testId }: { href: string; label: string; fallbackFilename: string; headerLines?: number; testId?: string }) {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);

  async function start() {
    const controller = new AbortController();
    abort.current = controller;
    setState({ phase: 'running', bytes: 0, rows: 0 });
    try {
      const res = await fetch(href, { credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
      if (!res.ok || !res.body) {
        let message = `The export failed (HTTP ${res.status}).`;
        try {
          message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          // not JSON
        }
        setState({ phase: 'failed', message });
        return;
      }
      const reader = res.body.getReader();
      const chunks: BlobPart[] = [];
      let bytes = 0;
      let lines = 0;
      let lastPaint = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value.slice());
        bytes += value.length;
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        const now = performance.now();
        if (now - lastPaint > 100) {
          lastPaint = now;
          setState({ phase: 'running', bytes, rows: Math.max(0, lines - headerLines) });
        }
      }
      const filename = filenameFrom(res, fallbackFilename);
      const url = URL.createObjectURL(new Blob(chunks, { type: res.headers.get('content-type') ?? 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ phase: 'done', bytes, rows: Math.max(0, lines - headerLines), filename });
    } catch (err) {
      if (controller.signal.aborted) setState({ phase: 'idle' });
      else setState({ phase: 'failed', message: 'The export was interrupted. Try again, or narrow the filter.' });
    } finally {
      abort.current = null;
    }
  }

  return (
    <div className="flex flex-col items-start gap-1" data-testid={testId}>
      {state.phase === 'running' ? (
        <button type="button" className="btn-secondary" onClick={() => abort.current?.abort()}>
          Cancel {label}
        </button>
      ) : (
        <button type="button" className="btn-secondary" onClick={() => void start()}>
          {label}
        </button>
      )}
      <span role="status" aria-live="polite" className="min-h-4 max-w-64 text-xs text-slate-600 tabular-nums dark:text-slate-400">
        {state.phase === 'running' && `Receiving… ${state.rows.toLocaleString()} rows · ${formatBytes(state.bytes)}`}
        {state.phase === 'done' && `Saved ${state.filename}: ${state.rows.toLocaleString()} rows · ${formatBytes(state.bytes)}`}
        {state.phase === 'failed' && <span className="text-red-700 dark:text-red-400">{state.message}</span>}
      </span>
    </div>
  );
}
