import type { NetPeer } from '../../../network/peer.js';
import { ip } from '../../../network/tools.js';
import type { NodeRuntime } from '../../runtime.js';
import type { ClusterView } from '../../view/cluster-view.js';
import { crictl } from '../../view/crictl.js';
import { identityOf } from '../../view/mounts.js';
import type { NodeModel } from '../../view/node-model.js';
import { journalctl, lsns, ps, systemctl } from '../../view/node-tools.js';
import type { Applet, CommandContext, CommandResult } from './context.js';
import { APPLETS, registerApplets } from './registry.js';
import '../../view/register.js';

/**
 * The tools of a node's shell: `crictl`, `lsns`, `ps`, `nsenter -t PID -n ip …`, `systemctl
 * status`, `journalctl -u`. They exist only on nodes; in a container the name falls back to
 * what the image has (busybox `ps`) or is not found.
 */

/** The PID of a node shell (`/proc/self`, `ps`). */
export const NODE_SHELL_PID = 4321;

interface NodeCtx {
  runtime: NodeRuntime;
  view: ClusterView;
  model: NodeModel;
}

type NodeApplet = (
  args: string[],
  ctx: CommandContext,
  node: NodeCtx,
  table: Record<string, Applet>,
) => CommandResult;

function nodeOf(ctx: CommandContext): NodeCtx | undefined {
  const fs = ctx.fs as unknown as { locate?: (p: string) => { view: unknown } };
  if (typeof fs?.locate !== 'function') return undefined;
  const id = identityOf(fs as { locate(p: string): { view: unknown } });
  if (id?.kind !== 'node') return undefined;
  const model = id.view.model(id.runtime.nodeName);
  return model ? { runtime: id.runtime, view: id.view, model } : undefined;
}

function nsenter(
  args: string[],
  ctx: CommandContext,
  node: NodeCtx,
  table: Record<string, Applet>,
): CommandResult {
  let pid: number | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '--target') pid = Number(args[++i]);
    else if (a.startsWith('--target=')) pid = Number(a.slice(9));
    else if (!a.startsWith('-')) break;
  }
  const cmd = args.slice(i);
  const target = pid !== undefined ? node.model.process(pid) : undefined;
  if (pid === undefined || !target) {
    ctx.stderr(
      pid === undefined
        ? 'nsenter: neither filename nor target pid supplied for ns/net\n'
        : `nsenter: cannot open /proc/${pid}/ns/net: No such file or directory\n`,
    );
    return 1;
  }
  if (cmd[0] === 'ip') {
    const c = node.model.containers().find((x) => x.pid === pid || x.conmonPid === pid);
    const pod = c && !c.pod.sandbox.hostNetwork && c.pid === pid ? c.pod : undefined;
    const self: NetPeer = {
      view: node.view,
      nodeName: node.model.name,
      from: { ip: node.model.ip, nodeName: node.model.name },
    };
    const inNs: NetPeer = pod
      ? {
          ...self,
          pod: pod.pod,
          sandboxId: pod.sandbox.id,
          from: { ip: pod.sandbox.ip, pod: pod.pod, nodeName: node.model.name },
        }
      : self;
    return ip(cmd.slice(1), ctx, self, inNs);
  }
  const applet = cmd[0] ? table[cmd[0]] : undefined;
  if (!applet) {
    ctx.stderr(`nsenter: failed to execute ${cmd[0] ?? 'bash'}: No such file or directory\n`);
    return 127;
  }
  return applet(cmd.slice(1), ctx);
}

const NODE: Record<string, NodeApplet> = {
  crictl: (args, ctx, n) => crictl(args, n.model, ctx, n.view.crioVersion),
  lsns: (args, ctx, n) => lsns(args, n.model, ctx),
  ps: (args, ctx, n) => ps(args, n.model, ctx, NODE_SHELL_PID),
  systemctl: (args, ctx, n) => systemctl(args, n.model, ctx),
  journalctl: (args, ctx, n) => journalctl(args, n.model, ctx),
  nsenter,
};

export function nodeApplets(table: Record<string, Applet>): Record<string, Applet> {
  const out: Record<string, Applet> = {};
  for (const [name, applet] of Object.entries(NODE)) {
    const previous = table[name];
    out[name] = (args, ctx) => {
      const node = nodeOf(ctx);
      if (node) return applet(args, ctx, node, table);
      if (previous) return previous(args, ctx);
      ctx.stderr(ctx.flavour === 'dash' ? `sh: 1: ${name}: not found\n` : `sh: ${name}: not found\n`);
      return 127;
    };
  }
  return out;
}

/** `readlink` (coreutils and busybox alike): a symlink's target, `-f` for the resolved path. */
const readlink: Applet = (args, ctx) => {
  const paths = args.filter((a) => !a.startsWith('-'));
  let code = 0;
  for (const p of paths) {
    const m = ctx.fs.lmeta(p);
    if (m?.kind !== 'link' || m.target === undefined) code = 1;
    else ctx.stdout(`${m.target}\n`);
  }
  return paths.length === 0 ? 1 : code;
};

registerApplets(nodeApplets(APPLETS));
if (!APPLETS.readlink) registerApplets({ readlink });
