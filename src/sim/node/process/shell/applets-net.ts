import { curl } from '../../../network/curl.js';
import { type NetPeer, peerOf } from '../../../network/peer.js';
import { hostnameAddress, ip, nslookup, ping } from '../../../network/tools.js';
import { wget } from '../../../network/wget.js';
import type { Applet, CommandContext, CommandResult } from './context.js';
import { APPLETS, registerApplets } from './registry.js';

/**
 * The network applets: `wget`, `curl`, `nslookup`, `ping`, `ip`, `hostname -i`. They find
 * where they run (a pod or a node) from the command's file tree and go through the cluster's
 * data path (`src/sim/network`). busybox images have `wget` but no `curl`; Debian images
 * (nginx, memcached) and kind nodes have `curl` but no `wget`.
 */

type NetApplet = (args: string[], ctx: CommandContext, peer: NetPeer) => CommandResult;

function notFound(name: string, ctx: CommandContext): number {
  ctx.stderr(ctx.flavour === 'dash' ? `sh: 1: ${name}: not found\n` : `sh: ${name}: not found\n`);
  return 127;
}

const hasWget = (ctx: CommandContext, peer: NetPeer) => !!peer.pod && ctx.flavour === 'busybox';
const hasCurl = (ctx: CommandContext, peer: NetPeer) => !peer.pod || ctx.flavour === 'dash';

const NET: Record<string, { run: NetApplet; available?: (ctx: CommandContext, peer: NetPeer) => boolean }> = {
  wget: { run: wget, available: hasWget },
  curl: { run: curl, available: hasCurl },
  nslookup: { run: nslookup },
  ping: { run: ping },
  ip: { run: ip },
};

/** The network applets over `table`'s, which stay in use for trees without a network. */
export function netApplets(table: Record<string, Applet>): Record<string, Applet> {
  const out: Record<string, Applet> = {};
  for (const [name, applet] of Object.entries(NET)) {
    const previous = table[name];
    out[name] = (args, ctx) => {
      const peer = peerOf(ctx);
      if (!peer) return previous ? previous(args, ctx) : notFound(name, ctx);
      if (applet.available && !applet.available(ctx, peer)) return notFound(name, ctx);
      return applet.run(args, ctx, peer);
    };
  }
  const hostname = table.hostname;
  out.hostname = (args, ctx) => {
    const peer = args.includes('-i') ? peerOf(ctx) : undefined;
    if (peer) return hostnameAddress(ctx, peer);
    return hostname ? hostname(args, ctx) : notFound('hostname', ctx);
  };
  return out;
}

registerApplets(netApplets(APPLETS));
