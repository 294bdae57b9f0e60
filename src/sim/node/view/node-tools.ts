import type { ToolIO } from './crictl.js';
import { NAMESPACE_TYPES, type NamespaceType } from './identity.js';
import type { NodeModel, NodeProcess } from './node-model.js';

/**
 * util-linux `lsns`, procps `ps` and the systemd tools on a node, over the node model's
 * processes. `lsns` lists each namespace once with its process count and lowest PID, sorted
 * by inode, in libsmartcols' layout (numbers right-aligned, one space between columns).
 */

function table(rows: string[][], right: Set<number>): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) =>
          i === r.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
        )
        .join(' '),
    )
    .join('\n')
    .concat('\n');
}

export function lsns(args: string[], model: NodeModel, io: ToolIO): number {
  let type: NamespaceType | undefined;
  let pid: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--type') type = args[++i] as NamespaceType;
    else if (a === '-p' || a === '--task') pid = Number(args[++i]);
    else if (a.startsWith('--type=')) type = a.slice(7) as NamespaceType;
  }
  if (type && !NAMESPACE_TYPES.includes(type)) {
    io.stderr(`lsns: unknown namespace type: ${type}\n`);
    return 1;
  }
  const procs = model.processes();
  const only = pid !== undefined ? procs.find((p) => p.pid === pid) : undefined;
  if (pid !== undefined && !only) return 0;
  const seen = new Map<number, { type: NamespaceType; procs: NodeProcess[] }>();
  for (const p of procs)
    for (const t of NAMESPACE_TYPES) {
      if (type && t !== type) continue;
      if (only && only.ns[t] !== p.ns[t]) continue;
      const e = seen.get(p.ns[t]) ?? { type: t, procs: [] };
      e.procs.push(p);
      seen.set(p.ns[t], e);
    }
  const rows = [['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND']];
  for (const [ns, e] of [...seen].sort((a, b) => a[0] - b[0])) {
    if (only && !e.procs.includes(only)) continue;
    const first = e.procs.reduce((a, b) => (a.pid < b.pid ? a : b));
    rows.push([String(ns), e.type, String(e.procs.length), String(first.pid), first.user, first.args]);
  }
  io.stdout(table(rows, new Set([0, 2, 3])));
  return 0;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export function ps(args: string[], model: NodeModel, io: ToolIO, shellPid: number): number {
  const procs = model.processes();
  const flags = args.join(' ');
  if (/\baux\b|-aux|\bax\b|-e|-A/.test(flags)) {
    if (/-e?f/.test(flags) || flags.includes('-ef')) {
      const rows = [['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']];
      for (const p of procs)
        rows.push([p.user, String(p.pid), String(p.ppid), '0', clock(p.startedAt), '?', '00:00:00', p.args]);
      rows.push(['root', String(shellPid), '0', '0', clock(model.source.now()), 'pts/0', '00:00:00', 'bash']);
      io.stdout(table(rows, new Set([1, 2])));
      return 0;
    }
    if (flags.includes('aux')) {
      const rows = [['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND']];
      for (const p of procs)
        rows.push([
          p.user,
          String(p.pid),
          '0.0',
          '0.1',
          '1234',
          '1024',
          '?',
          'Ss',
          clock(p.startedAt),
          '0:00',
          p.args,
        ]);
      io.stdout(table(rows, new Set([1, 4, 5])));
      return 0;
    }
    const rows = [['PID', 'TTY', 'TIME', 'CMD']];
    for (const p of procs) rows.push([String(p.pid), '?', '00:00:00', p.comm]);
    io.stdout(table(rows, new Set([0])));
    return 0;
  }
  io.stdout(
    table(
      [
        ['PID', 'TTY', 'TIME', 'CMD'],
        [String(shellPid), 'pts/0', '00:00:00', 'bash'],
        [String(shellPid + 1), 'pts/0', '00:00:00', 'ps'],
      ],
      new Set([0]),
    ),
  );
  return 0;
}

const UNITS: Record<string, { desc: string; main: string; pid: number }> = {
  kubelet: { desc: 'kubelet: The Kubernetes Node Agent', main: '/usr/bin/kubelet', pid: 214 },
  crio: { desc: 'Container Runtime Interface for OCI (CRI-O)', main: '/usr/bin/crio', pid: 105 },
};

export function systemctl(args: string[], model: NodeModel, io: ToolIO): number {
  const verb = args.find((a) => !a.startsWith('-'));
  const unit = args.filter((a) => !a.startsWith('-'))[1]?.replace(/\.service$/, '');
  if (verb === 'is-active') {
    io.stdout(unit && UNITS[unit] ? 'active\n' : 'inactive\n');
    return unit && UNITS[unit] ? 0 : 3;
  }
  if (verb !== 'status' || !unit) {
    io.stderr('The sim node answers only "systemctl status|is-active kubelet|crio".\n');
    return 1;
  }
  const u = UNITS[unit];
  if (!u) {
    io.stderr(`Unit ${unit}.service could not be found.\n`);
    return 4;
  }
  const since = new Date(Date.parse(model.source.node.metadata.creationTimestamp ?? '') || 0).toUTCString();
  io.stdout(
    `● ${unit}.service - ${u.desc}\n     Loaded: loaded (/etc/systemd/system/${unit}.service; enabled; preset: enabled)\n     Active: active (running) since ${since}\n   Main PID: ${u.pid} (${unit})\n      Tasks: 20\n     CGroup: ${unit === 'kubelet' ? '/kubelet.slice/kubelet.service' : '/system.slice/crio.service'}\n             └─${u.pid} ${u.main}\n`,
  );
  return 0;
}

export function journalctl(args: string[], model: NodeModel, io: ToolIO): number {
  const unit = args[args.indexOf('-u') + 1];
  if (!args.includes('-u') || !unit) {
    io.stderr('The sim node keeps journals only per unit: journalctl -u kubelet|crio.\n');
    return 1;
  }
  const name = unit.replace(/\.service$/, '');
  const host = model.name;
  const lines = model.pods().map((p) => {
    const t = new Date(p.sandbox.createdAt).toUTCString().slice(5, 25);
    return name === 'kubelet'
      ? `${t} ${host} kubelet[214]: I0000 kubelet.go:2468] "SyncLoop ADD" source="api" pods=["${p.pod.metadata.namespace}/${p.pod.metadata.name}"]`
      : `${t} ${host} crio[105]: time="${new Date(p.sandbox.createdAt).toISOString()}" level=info msg="Ran pod sandbox ${p.sandbox.id} with infra container: ${p.pod.metadata.namespace}/${p.pod.metadata.name}/POD"`;
  });
  io.stdout(lines.length ? `${lines.join('\n')}\n` : '-- No entries --\n');
  return 0;
}
