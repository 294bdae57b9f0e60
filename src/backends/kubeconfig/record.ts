import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../sim/files.js';
import { LAB_RECORD } from '../../state/labs.js';
import type { LabCapability } from '../types.js';

/** `lab.json` of a lab on an existing cluster: where it lives there, and what it may do. */
export interface KubeconfigLabRecord {
  backend: 'kubeconfig';
  createdAt: string;
  labId: string;
  /** The context of the user's kubeconfig it was made from, and that file. */
  sourceContext: string;
  sourceFiles: string[];
  server: string;
  namespace: string;
  learner: string;
  capabilities: LabCapability[];
  missing: Partial<Record<LabCapability, string>>;
  /** The namespaces the lab's scenarios were given (scenario-namespaces.ts); `down` deletes them. */
  scenarioNamespaces?: string[];
}

export const kubeconfigLabFiles = (dir: string) => ({
  record: path.join(dir, LAB_RECORD),
  kubeconfig: path.join(dir, 'kubeconfig'),
});

export function readKubeconfigLab(dir: string): KubeconfigLabRecord | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(kubeconfigLabFiles(dir).record, 'utf8')) as KubeconfigLabRecord;
    return rec.backend === 'kubeconfig' && typeof rec.namespace === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

export function writeKubeconfigLab(dir: string, rec: KubeconfigLabRecord): void {
  writeFileAtomic(kubeconfigLabFiles(dir).record, `${JSON.stringify(rec, null, 2)}\n`, 0o644);
}
