import * as fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../../sim/files.js';

interface Named {
  name: string;
  [k: string]: unknown;
}
interface KubeconfigDoc {
  clusters?: Named[];
  users?: Named[];
  contexts?: Array<{ name: string; context?: { cluster?: string; user?: string; namespace?: string } }>;
  'current-context'?: string;
  [k: string]: unknown;
}

/**
 * Rename the cluster, user and context kind wrote (`kind-<lab>`) to clusterlab's habit
 * (`clusterlab-<lab>`), keeping the file private to the user.
 */
export function renameKubeconfigContext(file: string, from: string, to: string): void {
  const doc = parse(fs.readFileSync(file, 'utf8')) as KubeconfigDoc;
  const rename = (n: string | undefined) => (n === from ? to : n);
  for (const c of doc.clusters ?? []) c.name = rename(c.name)!;
  for (const u of doc.users ?? []) u.name = rename(u.name)!;
  for (const c of doc.contexts ?? []) {
    c.name = rename(c.name)!;
    if (c.context) {
      c.context.cluster = rename(c.context.cluster);
      c.context.user = rename(c.context.user);
    }
  }
  doc['current-context'] = rename(doc['current-context']);
  writeFileAtomic(file, stringify(doc), 0o600);
}
