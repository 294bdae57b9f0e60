import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { trustFile } from '../state/scenario-paths.js';
import { keepAside, writeFileAtomic } from './atomic-file.js';

/**
 * Scripts in a scenario folder run with the learner's rights. Those of the built-in
 * `scenarios/` ship with clusterlab; any other folder runs only once the user has trusted it,
 * which is remembered per folder and content hash: an edited folder must be trusted again.
 */

interface TrustRecord {
  version: 1;
  folders: Record<string, { hash: string; trustedAt: string }>;
}

/** A hash of every file in the folder (names and contents), skipping dot-files. */
export function folderHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const e of fs
      .readdirSync(abs, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) {
        h.update(`${r}\0`);
        h.update(fs.readFileSync(path.join(dir, r)));
        h.update('\0');
      }
    }
  };
  walk('');
  return h.digest('hex');
}

export class TrustStore {
  constructor(
    private readonly stateDir: string,
    /** The built-in scenarios folder, trusted without asking. */
    private readonly builtinDir: string,
  ) {}

  private read(): TrustRecord {
    const file = trustFile(this.stateDir);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return { version: 1, folders: {} };
    }
    try {
      const r = JSON.parse(text) as TrustRecord;
      if (r.version === 1 && typeof r.folders === 'object' && r.folders !== null) return r;
    } catch {
      // Fall through: kept aside below.
    }
    const kept = keepAside(file, 'corrupt');
    throw new UserError(
      `the list of trusted scenario folders (${file}) could not be read; it was kept as ${kept}. Trust your scenario folders again`,
      { fix: 'clusterlab scenario trust PATH' },
    );
  }

  isBuiltin(dir: string): boolean {
    const rel = path.relative(this.builtinDir, path.resolve(dir));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  isTrusted(dir: string): boolean {
    if (this.isBuiltin(dir)) return true;
    const entry = this.read().folders[path.resolve(dir)];
    return !!entry && entry.hash === folderHash(dir);
  }

  trust(dir: string, now: Date = new Date()): void {
    const r = this.read();
    r.folders[path.resolve(dir)] = { hash: folderHash(dir), trustedAt: now.toISOString() };
    writeFileAtomic(trustFile(this.stateDir), `${JSON.stringify(r, null, 2)}\n`);
  }

  /** Throw what to do unless the folder may run its scripts. */
  require(dir: string): void {
    if (this.isTrusted(dir)) return;
    const known = !!this.read().folders[path.resolve(dir)];
    throw new UserError(
      known
        ? `the scenario folder ${dir} changed since you trusted it; its scripts run only after you trust it again (read them first)`
        : `the scenario folder ${dir} is not one of clusterlab's built-in scenarios; its scripts (setup, solutions, cleanup) run on your machine, so they run only after you trust the folder (read them first)`,
      { fix: `clusterlab scenario trust ${dir}` },
    );
  }
}
