import { type FileMeta, type FsError, type FsView, parentOf } from './fs-view.js';

/**
 * Files kept in memory: a container's writable layer, an emptyDir, a node's disk. Symlinks
 * are relative to their directory, as the `..data` links of ConfigMap volumes are. A store
 * can be mirrored to disk (`onChange`), so volumes outlive the sim process.
 */

export type StoreChange =
  | { op: 'write'; rel: string; data: string }
  | { op: 'mkdir'; rel: string }
  | { op: 'link'; rel: string; target: string }
  | { op: 'remove'; rel: string };

const MAX_LINKS = 8;

export class FileStore implements FsView {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['']);
  readonly links = new Map<string, string>();
  /** Modes and times where they differ from the defaults (0644 files, 0755 dirs). */
  readonly meta = new Map<string, { mode?: number; mtime?: number; uid?: number; gid?: number }>();
  /** Called after every change (a disk mirror listens). */
  onChange?: (change: StoreChange) => void;

  constructor(
    private readonly now: () => number = () => 0,
    /** Owner of new files (the writing process's user, `runAsUser`). */
    readonly owner = { uid: 0, gid: 0 },
  ) {}

  /** Follow symlinks in every segment of `rel`; undefined for a loop. */
  resolve(rel: string, followLast = true): string | undefined {
    let parts = rel.split('/').filter(Boolean);
    let hops = 0;
    for (let i = 0; i < parts.length; i++) {
      const here = parts.slice(0, i + 1).join('/');
      const target = this.links.get(here);
      if (target === undefined || (!followLast && i === parts.length - 1)) continue;
      if (++hops > MAX_LINKS) return undefined;
      const base = target.startsWith('/') ? [] : parts.slice(0, i);
      const joined: string[] = [];
      for (const seg of [...base, ...target.split('/'), ...parts.slice(i + 1)]) {
        if (seg === '' || seg === '.') continue;
        if (seg === '..') joined.pop();
        else joined.push(seg);
      }
      parts = joined;
      i = -1;
    }
    return parts.join('/');
  }

  private metaOf(rel: string, kind: FileMeta['kind']): FileMeta {
    const m = this.meta.get(rel) ?? {};
    const data = kind === 'file' ? (this.files.get(rel) ?? '') : '';
    return {
      kind,
      mode: m.mode ?? (kind === 'dir' ? 0o755 : kind === 'link' ? 0o777 : 0o644),
      size:
        kind === 'file'
          ? Buffer.byteLength(data)
          : kind === 'link'
            ? (this.links.get(rel)?.length ?? 0)
            : 4096,
      mtime: m.mtime ?? 0,
      uid: m.uid ?? 0,
      gid: m.gid ?? 0,
      target: kind === 'link' ? this.links.get(rel) : undefined,
    };
  }

  stat(rel: string): FileMeta | undefined {
    const r = this.resolve(rel);
    if (r === undefined) return undefined;
    if (this.files.has(r)) return this.metaOf(r, 'file');
    return this.dirs.has(r) ? this.metaOf(r, 'dir') : undefined;
  }

  lstat(rel: string): FileMeta | undefined {
    const dir = this.resolve(parentOf(rel));
    if (dir === undefined) return undefined;
    const r = dir ? `${dir}/${rel.slice(rel.lastIndexOf('/') + 1)}` : rel.slice(rel.lastIndexOf('/') + 1);
    if (this.links.has(r)) return this.metaOf(r, 'link');
    return this.stat(r);
  }

  read(rel: string): string | FsError {
    const r = this.resolve(rel);
    if (r === undefined) return 'ENOENT';
    const data = this.files.get(r);
    if (data !== undefined) return data;
    return this.dirs.has(r) ? 'EISDIR' : 'ENOENT';
  }

  list(rel: string): string[] | FsError {
    const r = this.resolve(rel);
    if (r === undefined) return 'ENOENT';
    if (this.files.has(r)) return 'ENOTDIR';
    if (!this.dirs.has(r)) return 'ENOENT';
    const prefix = r ? `${r}/` : '';
    const names = new Set<string>();
    for (const k of [...this.files.keys(), ...this.dirs, ...this.links.keys()]) {
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return [...names];
  }

  write(rel: string, data: string, append: boolean): FsError | undefined {
    const r = this.resolve(rel);
    if (r === undefined || r === '') return r === '' ? 'EISDIR' : 'ENOENT';
    if (this.dirs.has(r)) return 'EISDIR';
    if (!this.dirs.has(parentOf(r))) return this.files.has(parentOf(r)) ? 'ENOTDIR' : 'ENOENT';
    const next = append ? (this.files.get(r) ?? '') + data : data;
    if (!this.files.has(r) && (this.owner.uid || this.owner.gid))
      this.meta.set(r, { ...this.meta.get(r), uid: this.owner.uid, gid: this.owner.gid });
    this.files.set(r, next);
    this.touch(r);
    this.onChange?.({ op: 'write', rel: r, data: next });
    return undefined;
  }

  remove(rel: string, recursive: boolean): FsError | undefined {
    if (this.links.has(rel)) {
      this.links.delete(rel);
      this.onChange?.({ op: 'remove', rel });
      return undefined;
    }
    const r = this.resolve(rel);
    if (r === undefined) return 'ENOENT';
    if (this.files.delete(r)) {
      this.meta.delete(r);
      this.onChange?.({ op: 'remove', rel: r });
      return undefined;
    }
    if (!this.dirs.has(r) || r === '') return r === '' ? 'EACCES' : 'ENOENT';
    if (!recursive) return 'EISDIR';
    const prefix = `${r}/`;
    for (const m of [this.files, this.links, this.meta] as Array<Map<string, unknown>>)
      for (const k of [...m.keys()]) if (k.startsWith(prefix)) m.delete(k);
    for (const d of [...this.dirs]) if (d === r || d.startsWith(prefix)) this.dirs.delete(d);
    this.onChange?.({ op: 'remove', rel: r });
    return undefined;
  }

  /** `rmdir`: only an empty directory. */
  rmdir(rel: string): FsError | undefined {
    const r = this.resolve(rel);
    if (r === undefined || !this.dirs.has(r)) return this.files.has(r ?? '') ? 'ENOTDIR' : 'ENOENT';
    const names = this.list(r);
    if (Array.isArray(names) && names.length) return 'ENOTEMPTY';
    return this.remove(r, true);
  }

  mkdir(rel: string, parents: boolean): FsError | undefined {
    const r = this.resolve(rel);
    if (r === undefined) return 'ENOENT';
    if (this.dirs.has(r) || this.files.has(r)) return parents && this.dirs.has(r) ? undefined : 'EEXIST';
    if (!parents && !this.dirs.has(parentOf(r))) return 'ENOENT';
    const parts = r.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (this.files.has(d)) return 'ENOTDIR';
      if (this.dirs.has(d)) continue;
      this.dirs.add(d);
      this.touch(d);
      this.onChange?.({ op: 'mkdir', rel: d });
    }
    return undefined;
  }

  rename(from: string, to: string): FsError | undefined {
    const a = this.resolve(from);
    const b = this.resolve(to, false);
    if (a === undefined || b === undefined) return 'ENOENT';
    if (!this.dirs.has(parentOf(b))) return 'ENOENT';
    if (this.files.has(a)) {
      const data = this.files.get(a)!;
      this.remove(a, false);
      return this.write(b, data, false);
    }
    if (!this.dirs.has(a)) return 'ENOENT';
    if (this.dirs.has(b) || this.files.has(b)) return 'EEXIST';
    const move = (k: string) => (k === a ? b : `${b}${k.slice(a.length)}`);
    const under = (k: string) => k === a || k.startsWith(`${a}/`);
    const files = [...this.files].filter(([k]) => under(k));
    const dirs = [...this.dirs].filter(under);
    this.remove(a, true);
    for (const d of dirs.sort()) this.mkdir(move(d), true);
    for (const [k, v] of files) this.write(move(k), v, false);
    return undefined;
  }

  chmod(rel: string, mode: number): FsError | undefined {
    const r = this.resolve(rel);
    if (r === undefined || (!this.files.has(r) && !this.dirs.has(r))) return 'ENOENT';
    this.meta.set(r, { ...this.meta.get(r), mode });
    return undefined;
  }

  /** Make a symlink (ConfigMap volumes' `..data` layout). */
  symlink(rel: string, target: string): void {
    this.links.set(rel, target);
    this.onChange?.({ op: 'link', rel, target });
  }

  /** Put a file with a mode (ConfigMap/Secret projections), making its directories. */
  put(rel: string, data: string, mode?: number): void {
    this.mkdir(parentOf(rel), true);
    this.files.set(rel, data);
    this.meta.set(rel, { mode, mtime: this.now() });
    this.onChange?.({ op: 'write', rel, data });
  }

  usage(): { total: number; used: number } {
    let used = 0;
    for (const v of this.files.values()) used += Math.ceil(Buffer.byteLength(v) / 4096) * 4096;
    return { total: 0, used: used + this.dirs.size * 4096 };
  }

  private touch(rel: string): void {
    const t = this.now();
    if (t) this.meta.set(rel, { ...this.meta.get(rel), mtime: t });
  }
}

/** A directory of another store seen as a filesystem of its own (a hostPath mount of the node's disk). */
export class SubtreeView implements FsView {
  constructor(
    readonly store: FileStore,
    /** The directory in `store`, without leading slash. */
    readonly base: string,
  ) {
    if (!store.stat(base)) store.mkdir(base, true);
  }

  /** A directory (or file) beneath this one (a `subPath` mount). */
  sub(rel: string): SubtreeView {
    return new SubtreeView(this.store, this.at(rel));
  }

  private at(rel: string): string {
    if (!this.base) return rel;
    return rel ? `${this.base}/${rel}` : this.base;
  }

  stat = (rel: string) => this.store.stat(this.at(rel));
  lstat = (rel: string) => this.store.lstat(this.at(rel));
  read = (rel: string) => this.store.read(this.at(rel));
  list = (rel: string) => this.store.list(this.at(rel));
  write = (rel: string, data: string, append: boolean) => this.store.write(this.at(rel), data, append);
  remove = (rel: string, recursive: boolean) =>
    rel === '' ? ('EACCES' as const) : this.store.remove(this.at(rel), recursive);
  mkdir = (rel: string, parents: boolean) => this.store.mkdir(this.at(rel), parents);
  rename = (from: string, to: string) => this.store.rename(this.at(from), this.at(to));
  chmod = (rel: string, mode: number) => this.store.chmod(this.at(rel), mode);
  usage = () => this.store.usage();
}
