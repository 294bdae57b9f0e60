import * as fs from 'node:fs';
import { writeFileAtomic } from '../../sim/files.js';
import type { LibvirtDriver, VagrantProfile, VagrantProvider } from './names.js';
import { vagrantLabFiles } from './names.js';

/** `lab.json` of a Vagrant lab: what was asked for and what was made, written before vagrant runs. */
export interface VagrantLabRecord {
  backend: 'vagrant';
  createdAt: string;
  labId: string;
  profile: VagrantProfile;
  provider: VagrantProvider;
  libvirtDriver: LibvirtDriver;
  box: string;
  /** The VMs, control plane first. */
  vms: string[];
  kubernetesVersion?: string;
  /** `creating` until every step of `up` has passed; a retained failed lab stays so. */
  phase: 'creating' | 'ready';
}

export function readVagrantLab(dir: string): VagrantLabRecord | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(vagrantLabFiles(dir).record, 'utf8')) as VagrantLabRecord;
    return rec.backend === 'vagrant' && Array.isArray(rec.vms) ? rec : undefined;
  } catch {
    return undefined;
  }
}

export function writeVagrantLab(dir: string, rec: VagrantLabRecord): void {
  writeFileAtomic(vagrantLabFiles(dir).record, `${JSON.stringify(rec, null, 2)}\n`, 0o644);
}
