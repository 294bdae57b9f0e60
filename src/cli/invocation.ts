import * as fs from 'node:fs';
import * as path from 'node:path';
import { findOnPath } from '../backends/host-tools.js';

/**
 * The words that run clusterlab from where the user is, for the commands we suggest:
 * `clusterlab` when it is on PATH (a global install), `npx clusterlab` inside the project
 * (npm runs a package's own bin there) or a project that depends on it, and otherwise the
 * path of the bin script itself.
 */
export function clusterlabCommand(o: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform: NodeJS.Platform;
  root: string;
}): string {
  const bin = path.join(o.root, 'bin', 'clusterlab.js');
  const onPath = findOnPath('clusterlab', { ...o.env, PATH: userPath(o.env.PATH ?? '') });
  if (onPath && (o.platform === 'win32' || sameFile(onPath, bin))) return 'clusterlab';
  const inside = (dir: string) => {
    const rel = path.relative(dir, o.cwd);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (inside(o.root)) return 'npx clusterlab';
  const localBin = path.join(o.cwd, 'node_modules', '.bin', 'clusterlab');
  if (fs.existsSync(localBin) && sameFile(localBin, bin)) return 'npx clusterlab';
  return o.platform === 'win32' ? `node "${bin}"` : quote(bin);
}

/** Replace the leading `clusterlab` of a suggested command with the words that work here. */
export function localize(command: string, invocation: string): string {
  return command.replace(/(^|&& |; )clusterlab(?= |$)/g, (_m, lead: string) => `${lead}${invocation}`);
}

/**
 * PATH as the user's own shell has it: npm (npx, npm start) puts package bin directories in
 * front, where this package's own bin is found, but the user's terminal would not find it.
 */
function userPath(value: string): string {
  return value
    .split(path.delimiter)
    .filter((dir) => !/node_modules[\\/]\.bin$|[\\/]_npx[\\/]/.test(dir))
    .join(path.delimiter);
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
