import { FileStore } from './file-store.js';
import {
  type FileMeta,
  type FsError,
  type FsView,
  type MountInfo,
  normalizePath,
  parentOf,
} from './fs-view.js';

/**
 * A process's file tree: a root filesystem (the container's from its image, or a node's
 * disk) with filesystems mounted on it, longest mount path winning, as the kernel resolves
 * them. Volumes are mounts, so an emptyDir is shared by a pod's containers and a claim's data
 * outlives the pod; a node's `/proc` is a mount of a computed view.
 */

export { FileStore, SubtreeView } from './file-store.js';
export type { FileMeta, FsError, FsView, MountInfo } from './fs-view.js';
export { fsErrorText, isFsError, normalizePath } from './fs-view.js';

export interface Mount {
  /** Absolute path in the tree (`/data`). */
  path: string;
  view: FsView;
  readOnly: boolean;
  /** How `mount`/`df` show it; undefined for the sim's invisible helper mounts. */
  info?: MountInfo;
}

/** A mount as `mount` and `df` list it, the root first. */
export interface MountEntry extends MountInfo {
  path: string;
  readOnly: boolean;
  view: FsView;
}

const DEV_FILES = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/tty']);

export class ContainerFs {
  private readonly mounted: Mount[];

  constructor(
    private readonly root: FsView,
    mounts: Mount[] = [],
    private readonly rootInfo: MountInfo = { source: 'overlay', fsType: 'overlay' },
    private readonly rootReadOnly = false,
  ) {
    // Longest mount path first, so /data/logs wins over /data.
    this.mounted = [...mounts].sort((a, b) => b.path.length - a.path.length);
    // Mount points exist in the tree beneath them, as a runtime creates them.
    for (const m of [...this.mounted].reverse()) {
      const above = this.locate(parentOf(m.path) || '/');
      above.view.mkdir?.(above.rel, true);
      const at = this.locate(m.path);
      if (at.view !== m.view && !at.view.stat(at.rel)) {
        if (m.view.stat('')?.kind === 'file') at.view.write?.(at.rel, '', false);
        else at.view.mkdir?.(at.rel, true);
      }
    }
  }

  /** The filesystem a path is on and the path within it. */
  locate(path: string): { view: FsView; rel: string; readOnly: boolean; mount?: Mount } {
    const p = normalizePath(path);
    for (const m of this.mounted) {
      if (p === m.path || p.startsWith(`${m.path}/`))
        return {
          view: m.view,
          rel: p.slice(m.path.length).replace(/^\//, ''),
          readOnly: m.readOnly,
          mount: m,
        };
    }
    return { view: this.root, rel: p.slice(1), readOnly: this.rootReadOnly };
  }

  /** Every mount, the root first, in mount order (shorter paths first). */
  mounts(): MountEntry[] {
    return [
      { path: '/', readOnly: this.rootReadOnly, view: this.root, ...this.rootInfo },
      ...[...this.mounted]
        .reverse()
        .filter((m) => m.info)
        .map((m) => ({ path: m.path, readOnly: m.readOnly, view: m.view, ...m.info! })),
    ];
  }

  meta(path: string): FileMeta | undefined {
    if (DEV_FILES.has(normalizePath(path)))
      return { kind: 'file', mode: 0o666, size: 0, mtime: 0, uid: 0, gid: 0 };
    const { view, rel } = this.locate(path);
    return view.stat(rel);
  }

  /** Like meta, but a symlink is itself. */
  lmeta(path: string): FileMeta | undefined {
    const { view, rel } = this.locate(path);
    return view.lstat ? view.lstat(rel) : this.meta(path);
  }

  stat(path: string): 'file' | 'dir' | undefined {
    const m = this.meta(path);
    return m?.kind === 'link' ? undefined : m?.kind;
  }

  read(path: string): string | FsError {
    const p = normalizePath(path);
    if (DEV_FILES.has(p)) return '';
    const { view, rel } = this.locate(p);
    return view.read(rel);
  }

  write(path: string, data: string, append = false): FsError | undefined {
    const p = normalizePath(path);
    if (DEV_FILES.has(p)) return undefined;
    const { view, rel, readOnly } = this.locate(p);
    if (readOnly || !view.write) return view.stat(rel)?.kind === 'dir' ? 'EISDIR' : 'EROFS';
    return view.write(rel, data, append);
  }

  remove(path: string, recursive = false): FsError | undefined {
    const { view, rel, readOnly, mount } = this.locate(path);
    if (!view.stat(rel) && !view.lstat?.(rel)) return 'ENOENT';
    if (mount && rel === '') return 'EROFS';
    if (!recursive && view.stat(rel)?.kind === 'dir' && !view.lstat?.(rel)?.target) return 'EISDIR';
    if (readOnly || !view.remove) return 'EROFS';
    return view.remove(rel, recursive);
  }

  mkdir(path: string, parents: boolean): FsError | undefined {
    const { view, rel, readOnly } = this.locate(path);
    if (view.stat(rel)) return parents && view.stat(rel)?.kind === 'dir' ? undefined : 'EEXIST';
    if (readOnly || !view.mkdir) return 'EROFS';
    return view.mkdir(rel, parents);
  }

  chmod(path: string, mode: number): FsError | undefined {
    const { view, rel, readOnly } = this.locate(path);
    if (!view.stat(rel)) return 'ENOENT';
    if (readOnly || !view.chmod) return 'EROFS';
    return view.chmod(rel, mode);
  }

  /** `mv`: within one filesystem a rename, across filesystems a copy and delete (as mv does on EXDEV). */
  rename(from: string, to: string): FsError | undefined {
    const a = this.locate(from);
    const b = this.locate(to);
    if (!a.view.stat(a.rel)) return 'ENOENT';
    if (a.readOnly || b.readOnly) return 'EROFS';
    if (a.view === b.view && a.view.rename) return a.view.rename(a.rel, b.rel);
    const err = this.copy(normalizePath(from), normalizePath(to));
    return err ?? this.remove(from, true);
  }

  /** Copy a file or a tree. */
  copy(from: string, to: string): FsError | undefined {
    const meta = this.meta(from);
    if (!meta) return 'ENOENT';
    if (meta.kind === 'file') {
      const data = this.read(from);
      if (data === 'ENOENT' || data === 'EISDIR') return data;
      return this.write(to, data);
    }
    const err = this.mkdir(to, true);
    if (err) return err;
    const names = this.list(from);
    if (!Array.isArray(names)) return names;
    for (const n of names) {
      const e = this.copy(`${from}/${n}`, `${to}/${n}`);
      if (e) return e;
    }
    return undefined;
  }

  /** Names in a directory, sorted, with the mount points beneath it. */
  list(path: string): string[] | FsError {
    const { view, rel } = this.locate(path);
    const names = view.list(rel);
    if (!Array.isArray(names)) return names;
    const set = new Set(names);
    const base = normalizePath(path);
    for (const m of this.mounted) {
      if ((parentOf(m.path) || '/') === base && m.path !== '/')
        set.add(m.path.slice(m.path.lastIndexOf('/') + 1));
    }
    return [...set].sort();
  }
}

/** The directories every Linux image has, so scripts can write to /tmp without a mkdir. */
export function baseRootfs(files: Record<string, string> = {}, now?: () => number): FileStore {
  const store = new FileStore(now);
  for (const d of [
    'bin',
    'dev',
    'dev/shm',
    'etc',
    'home',
    'proc',
    'root',
    'run',
    'sys',
    'tmp',
    'usr',
    'usr/bin',
    'var',
    'var/log',
    'var/run',
  ])
    store.dirs.add(d);
  store.meta.set('tmp', { mode: 0o1777 });
  store.meta.set('root', { mode: 0o700 });
  for (const [path, data] of Object.entries(files)) {
    const rel = normalizePath(path).slice(1);
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) store.dirs.add(parts.slice(0, i).join('/'));
    store.files.set(rel, data);
  }
  return store;
}
