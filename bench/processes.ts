import { spawn, type ChildProcess } from 'node:child_process';

// Starts a bench server script in its own process and waits for its "PORT n" line.
export async function startProcess(
  script: string,
  env: Record<string, string>,
  opts: { startTimeoutMs?: number } = {},
): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  // how the child ended (fault suites check a graceful stop exits 0)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), opts.startTimeoutMs ?? 60_000);
    child.stdout!.on('data', (d) => {
      buf += d;
      const m = /PORT (\d+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    port,
    child,
    exited,
    // resolves at once for a child that already exited (e.g. killed by a fault suite)
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }
      await exited;
    },
  };
}
