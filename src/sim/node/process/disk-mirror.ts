import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileStore, StoreChange } from './file-store.js';

/**
 * Keeps a node's disk (a `FileStore`) in a real directory of the lab, so what a real node
 * keeps across a reboot — PV data under `/var/local-path-provisioner`, hostPath directories,
 * emptyDirs of pods that still exist — survives the sim process stopping. Every change is
 * written through at once (files are small); loading walks the directory.
 */

export function loadDisk(store: FileStore, dir: string): void {
  if (!fs.existsSync(dir)) return;
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      const p = path.join(abs, entry.name);
      if (entry.isSymbolicLink()) store.links.set(r, fs.readlinkSync(p));
      else if (entry.isDirectory()) {
        store.dirs.add(r);
        walk(p, r);
      } else if (entry.isFile()) {
        store.files.set(r, fs.readFileSync(p, 'utf8'));
        store.meta.set(r, { mtime: Math.floor(fs.statSync(p).mtimeMs) });
      }
    }
  };
  walk(dir, '');
}

/** Mirror every later change of `store` into `dir`. */
export function mirrorDisk(store: FileStore, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const at = (rel: string) => path.join(dir, ...rel.split('/'));
  store.onChange = (c: StoreChange) => {
    try {
      const p = at(c.rel);
      if (c.op === 'write') {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, c.data);
      } else if (c.op === 'mkdir') fs.mkdirSync(p, { recursive: true });
      else if (c.op === 'link') {
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.rmSync(p, { force: true });
        fs.symlinkSync(c.target, p);
      } else fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // The in-memory store stays right; the copy on disk is a best effort (a full disk, a
      // directory removed by hand) and is read again only at the next start.
    }
  };
}
