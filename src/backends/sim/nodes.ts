import * as fs from 'node:fs';
import { UserError } from '../../errors.js';
import { type EndpointInfo, labFiles } from '../../sim/files.js';
import type { SimLabFile } from '../../sim/serve.js';
import { labCommand } from '../../state/names.js';
import type { NodeHandle, TerminalIO } from '../types.js';
import { execOnNode, NodeExecError, type SimEndpoint } from './node-exec-client.js';

/**
 * The sim's node handles: each node's shell through the sim's node exec route, with the lab's
 * own credentials (the same ones its kubeconfig holds).
 */

function endpointOf(dir: string, lab: string): SimEndpoint {
  const f = labFiles(dir);
  try {
    const ep = JSON.parse(fs.readFileSync(f.endpoint, 'utf8')) as EndpointInfo;
    return {
      server: ep.server,
      token: fs.readFileSync(f.token, 'utf8').trim(),
      caCert: fs.readFileSync(f.caCert, 'utf8'),
    };
  } catch {
    throw new UserError(`lab "${lab}" is not running, so its nodes cannot be reached`, {
      fix: labCommand('up', lab),
    });
  }
}

function failed(lab: string, node: string, err: unknown): Error {
  if (!(err instanceof NodeExecError)) return err as Error;
  const refused = /ECONNREFUSED/.test(err.message);
  return new UserError(
    refused
      ? `lab "${lab}" does not answer (its sim is not running), so node ${node} cannot be reached`
      : `could not run on node ${node}: ${err.message}`,
    { fix: refused ? labCommand('up', lab) : labCommand('status', lab) },
  );
}

export function simNodeHandles(dir: string, lab: string, rec: SimLabFile): NodeHandle[] {
  return rec.config.nodes.map(
    (n): NodeHandle => ({
      name: n.name,
      role: n.role,
      async exec(argv) {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        try {
          const exitCode = await execOnNode(endpointOf(dir, lab), n.name, argv, {
            stdout: (b) => out.push(b),
            stderr: (b) => err.push(b),
          });
          return {
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
            exitCode,
          };
        } catch (e) {
          throw failed(lab, n.name, e);
        }
      },
      async shell(io: TerminalIO) {
        const tty = !!io.stdin.isTTY;
        const wasRaw = tty && io.stdin.isRaw;
        const restore = () => {
          if (tty && !wasRaw) io.stdin.setRawMode(false);
        };
        // A crash must not leave the learner's terminal raw.
        process.once('exit', restore);
        if (tty) io.stdin.setRawMode(true);
        try {
          return await execOnNode(endpointOf(dir, lab), n.name, ['bash'], {
            stdin: io.stdin,
            tty,
            stdout: (b) => io.stdout.write(b),
            stderr: (b) => io.stderr.write(b),
            size: () =>
              io.stdout.columns ? { width: io.stdout.columns, height: io.stdout.rows } : undefined,
            onResize: (l) => {
              io.stdout.on('resize', l);
              return () => io.stdout.off('resize', l);
            },
          });
        } catch (e) {
          throw failed(lab, n.name, e);
        } finally {
          restore();
          process.off('exit', restore);
          io.stdin.pause();
        }
      },
    }),
  );
}
