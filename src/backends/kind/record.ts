import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../sim/files.js';
import { LAB_RECORD } from '../../state/labs.js';
import type { IngressPort } from './config.js';
import { LAB_FILES } from './names.js';

/** `lab.json` of a kind lab: what was asked for and what was made, written before kind runs. */
export interface KindLabRecord {
  backend: 'kind';
  createdAt: string;
  labId: string;
  cluster: string;
  controlPlanes: number;
  workers: number;
  kubernetesVersion: string;
  podSubnet: string;
  serviceSubnet: string;
  addons: string[];
  ingress: IngressPort;
  /** The node image, once it is known (built, reused, or given). */
  nodeImage?: string;
  /** `creating` until every step of `up` has passed; a retained failed lab stays so. */
  phase: 'creating' | 'ready';
  usesImageCache?: boolean;
}

export const kindLabFiles = (dir: string) => ({
  record: path.join(dir, LAB_RECORD),
  kindConfig: path.join(dir, LAB_FILES.kindConfig),
  kubeconfig: path.join(dir, LAB_FILES.kubeconfig),
  mirrorConf: path.join(dir, LAB_FILES.registriesDir, LAB_FILES.mirrorConf),
});

export function readKindLab(dir: string): KindLabRecord | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(kindLabFiles(dir).record, 'utf8')) as KindLabRecord;
    return rec.backend === 'kind' && typeof rec.cluster === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

export function writeKindLab(dir: string, rec: KindLabRecord): void {
  writeFileAtomic(kindLabFiles(dir).record, `${JSON.stringify(rec, null, 2)}\n`, 0o644);
}
