import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../sim/files.js';
import { vagrantLabFiles } from './names.js';
import type { VagrantParams } from './params.js';

/**
 * The lab directory is a Vagrant project of its own: the Vagrantfile and scripts copied from
 * the install (so an upgrade of clusterlab never changes a running lab's machines) and the
 * parameters it reads. `vagrant status` typed there works as `clusterlab status` does.
 */
export function writeVagrantProject(root: string, dir: string, params: VagrantParams): void {
  const f = vagrantLabFiles(dir);
  const src = path.join(root, 'vagrant');
  fs.copyFileSync(path.join(src, 'Vagrantfile'), f.vagrantfile);
  fs.mkdirSync(f.scripts, { recursive: true });
  for (const script of fs.readdirSync(path.join(src, 'scripts')))
    if (script.endsWith('.sh'))
      fs.copyFileSync(path.join(src, 'scripts', script), path.join(f.scripts, script));
  // The parameters hold the kubeadm bootstrap token: readable by the owner only.
  writeFileAtomic(f.params, `${JSON.stringify(params, null, 2)}\n`, 0o600);
}

/** How many provisioning scripts each VM runs (for the progress bar). */
export const provisionersPerVm = (params: VagrantParams): number => (params.profile === 'kubeadm' ? 3 : 2);
