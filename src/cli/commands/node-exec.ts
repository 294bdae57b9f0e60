import { labNodes } from '../../backends/labs.js';
import type { NodeHandle } from '../../backends/types.js';
import { UserError } from '../../errors.js';
import { DEFAULT_LAB_NAME, labCommand } from '../../state/names.js';
import type { CommandContext } from '../context.js';
import { groupHelp } from './scenario/group.js';

/**
 * `clusterlab node exec NODE -- CMD…`: a command on one of the lab's nodes, with its stdout and
 * stderr kept apart and its exit code passed through (for scripts and scenario authors).
 * Backend-neutral: it runs through the backend's node handle (the sim's node shell, `docker
 * exec` into a kind node, …).
 */

/** A node by its full name (`lab-worker`) or kind's suffix (`worker`, `control-plane`). */
export async function findNode(
  lab: string,
  node: string | undefined,
  ctx: CommandContext,
): Promise<NodeHandle> {
  const nodes = await labNodes(lab, ctx.labs);
  const names = nodes.map((n) => n.name).join(', ');
  if (!node)
    throw new UserError(`say which node (the nodes of lab "${lab}": ${names})`, {
      fix: labCommand('node exec', lab, `${nodes[0]?.name ?? 'NODE'} -- crictl ps`),
    });
  const found = nodes.find((n) => n.name === node) ?? nodes.find((n) => n.name === `${lab}-${node}`);
  if (!found)
    throw new UserError(`lab "${lab}" has no node "${node}" (its nodes: ${names})`, {
      fix: labCommand('node exec', lab, `${nodes[0]?.name ?? 'NODE'} -- crictl ps`),
    });
  return found;
}

export async function run(
  o: { name?: string; json?: boolean },
  args: string[],
  ctx: CommandContext,
): Promise<number> {
  const lab = o.name ?? DEFAULT_LAB_NAME;
  const [node, ...rest] = args;
  const argv = rest[0] === '--' ? rest.slice(1) : rest;
  if (argv.length === 0)
    throw new UserError('say what to run after the node name, e.g. `-- crictl ps`', {
      fix: labCommand('node exec', lab, `${node ?? 'NODE'} -- crictl ps`),
    });
  const handle = await findNode(lab, node, ctx);
  ctx.log.debug(`running ${JSON.stringify(argv)} on ${handle.name}`);
  const r = await handle.exec(argv);
  if (o.json) {
    ctx.io.stdout.write(`${JSON.stringify({ node: handle.name, command: argv, ...r }, null, 2)}\n`);
    return r.exitCode;
  }
  ctx.io.stdout.write(r.stdout);
  ctx.io.stderr.write(r.stderr);
  return r.exitCode;
}

/** `clusterlab node` alone: its help. */
export const group = groupHelp('node');
