import * as fs from 'node:fs';
import { buildTopology } from '../../sim/config.js';
import { labFiles, writeFileAtomic } from '../../sim/files.js';
import type { SimLabFile } from '../../sim/serve.js';
import type { LabSpec } from '../types.js';

/** The `lab.json` a new sim lab starts from. */
export function simLabRecord(spec: LabSpec, now: Date = new Date()): SimLabFile {
  return {
    backend: 'sim',
    config: buildTopology({
      name: spec.name,
      nodes: spec.controlPlanes + spec.workers,
      kubernetesVersion: spec.kubernetesVersion,
      podSubnet: spec.podSubnet,
      serviceSubnet: spec.serviceSubnet,
      controlPlane: spec.topology?.controlPlane,
      worker: spec.topology?.worker,
      byName: spec.topology?.byName,
      crioVersion: spec.topology?.runtimeVersion,
      defaultStorageClass: spec.topology?.defaultStorageClass,
    }),
    createdAt: now.toISOString(),
    labId: spec.labId,
  };
}

/** The sim lab recorded in `dir`, or undefined when there is none (or it is another backend's). */
export function readSimLab(dir: string): SimLabFile | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(labFiles(dir).lab, 'utf8')) as SimLabFile;
    return rec.backend === 'sim' && Array.isArray(rec.config?.nodes) ? rec : undefined;
  } catch {
    return undefined;
  }
}

export function writeSimLab(dir: string, rec: SimLabFile): void {
  writeFileAtomic(labFiles(dir).lab, `${JSON.stringify(rec, null, 2)}\n`, 0o644);
}
