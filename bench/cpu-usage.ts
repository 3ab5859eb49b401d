import { readdirSync, readFileSync } from 'node:fs';

// CPU time per process from /proc (Linux), so the HTTP benchmark can say where each decision's
// CPU goes: the API process, the PostgreSQL backends and the load generator share the machine,
// and their sum per request bounds the throughput any code change could reach. Elsewhere (no
// /proc) every reading is null and the report leaves the split out.

const TICK_MS = 10; // USER_HZ is 100 on every Linux this runs on

function statCpuMs(pid: string): { comm: string; ms: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const fields = raw.slice(close + 2).split(' ');
    // fields[11] utime, fields[12] stime (fields 14 and 15 of proc(5), counted from after comm)
    return { comm, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return null;
  }
}

/** CPU milliseconds a process has used so far, or null where /proc is not available */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  return statCpuMs(String(pid))?.ms ?? null;
}

/**
 * CPU milliseconds used so far by every process named `postgres` on this machine (the
 * benchmark's server runs on 127.0.0.1; other databases' idle backends add next to nothing),
 * or null where /proc is not available. Backends that exit between two readings drop out,
 * so read it around a phase in which the pool's connections stay open.
 */
function postgresCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  let total = 0;
  for (const pid of pids) {
    const s = statCpuMs(pid);
    if (s && s.comm === 'postgres') total += s.ms;
  }
  return total;
}

/** this process's own CPU milliseconds (user + system) */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface CpuSplit {
  serverUs: number | null;
  postgresUs: number | null;
  loadGeneratorUs: number;
}

/** Measures the CPU each party spends per request while `run` drives `requests()` of them. */
export async function cpuPerRequest<T>(
  serverPid: number | undefined,
  run: () => Promise<T>,
  requests: (result: T) => number,
): Promise<{ result: T; split: CpuSplit }> {
  const server0 = processCpuMs(serverPid);
  const pg0 = postgresCpuMs();
  const own0 = ownCpuMs();
  const result = await run();
  const n = Math.max(1, requests(result));
  const server1 = processCpuMs(serverPid);
  const pg1 = postgresCpuMs();
  const perRequestUs = (a: number | null, b: number | null) => (a === null || b === null ? null : ((b - a) * 1000) / n);
  return {
    result,
    split: { serverUs: perRequestUs(server0, server1), postgresUs: perRequestUs(pg0, pg1), loadGeneratorUs: ((ownCpuMs() - own0) * 1000) / n },
  };
}
