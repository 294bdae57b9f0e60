import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_BOX_PREFIX } from './names.js';

/**
 * The locally built box (vagrant/box/build.sh). Its name carries a hash of the builder's
 * inputs, so a changed builder means a new box name: Vagrant and libvirt never reuse a stale
 * base image, and a cached box file is reused only when it was built from the same inputs.
 */
export const BOX_INPUTS = ['build.sh', 'packages.txt'];

export function boxInputsHash(root: string): string {
  const h = createHash('sha256');
  for (const f of BOX_INPUTS) {
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(root, 'vagrant', 'box', f)));
  }
  return h.digest('hex').slice(0, 12);
}

export const localBoxName = (root: string): string => `${LOCAL_BOX_PREFIX}-${boxInputsHash(root)}`;

/** Where built boxes are kept: CLUSTERLAB_VAGRANT_BOX_DIR, or `<state>/vagrant/boxes`. */
export function boxDir(stateDir: string, env: NodeJS.ProcessEnv): string {
  return env.CLUSTERLAB_VAGRANT_BOX_DIR || path.join(stateDir, 'vagrant', 'boxes');
}

export const localBoxFile = (dir: string, root: string): string =>
  path.join(dir, `clusterlab-debian12-${boxInputsHash(root)}.box`);

/** The command that builds the box file (root: it mounts a loop device). */
export const buildBoxCommand = (root: string, file: string): string =>
  `sudo ${path.join(root, 'vagrant', 'box', 'build.sh')} ${file}`;
