import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files of a build context, relative and sorted, with `/` separators on every platform. */
export function contextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/**
 * A digest of everything that decides what an image build makes: each file's path, whether it
 * is executable and its bytes, plus the build arguments. The same context hashes the same on
 * every machine, so the tag names what is inside the image.
 */
export function hashContext(dir: string, buildArgs: Record<string, string> = {}): string {
  const h = createHash('sha256');
  for (const rel of contextFiles(dir)) {
    const file = path.join(dir, rel);
    const exec = (fs.statSync(file).mode & 0o111) !== 0;
    h.update(`file ${rel} ${exec ? 'x' : '-'}\n`);
    h.update(fs.readFileSync(file));
    h.update('\n');
  }
  for (const key of Object.keys(buildArgs).sort()) h.update(`arg ${key}=${buildArgs[key]}\n`);
  return h.digest('hex');
}
