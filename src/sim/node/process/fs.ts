/**
 * A container's files, small and in memory: enough for programs and exec probes to touch,
 * write, read and remove files (`touch /tmp/healthy`, `cat /tmp/healthy`). Volumes are
 * separate stores mounted at paths, so an emptyDir is shared by a pod's containers and a
 * claim's data outlives the pod.
 */

export class FileStore {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['']);
}

export interface Mount {
  path: string;
  store: FileStore;
  readOnly: boolean;
}

export type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EROFS' | 'EEXIST';

/** Normalise a path (`/a/./b/../c` → `/a/c`), relative to `/`. */
export function normalizePath(p: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const seg of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const parentOf = (rel: string) => rel.slice(0, Math.max(0, rel.lastIndexOf('/')));

export class ContainerFs {
  private readonly mounts: Mount[];

  constructor(
    private readonly root: FileStore,
    mounts: Mount[] = [],
  ) {
    // Longest mount path first, so /data/logs wins over /data.
    this.mounts = [...mounts].sort((a, b) => b.path.length - a.path.length);
    for (const m of this.mounts) this.mkdirs(root, m.path.split('/').filter(Boolean));
  }

  private locate(path: string): { store: FileStore; rel: string; readOnly: boolean } {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.path || p.startsWith(`${m.path}/`))
        return { store: m.store, rel: p.slice(m.path.length).replace(/^\//, ''), readOnly: m.readOnly };
    }
    return { store: this.root, rel: p.slice(1), readOnly: false };
  }

  private mkdirs(store: FileStore, parts: string[]): void {
    for (let i = 1; i <= parts.length; i++) store.dirs.add(parts.slice(0, i).join('/'));
  }

  stat(path: string): 'file' | 'dir' | undefined {
    if (normalizePath(path) === '/dev/null') return 'file';
    const { store, rel } = this.locate(path);
    if (store.files.has(rel)) return 'file';
    return store.dirs.has(rel) ? 'dir' : undefined;
  }

  read(path: string): string | FsError {
    if (normalizePath(path) === '/dev/null') return '';
    const { store, rel } = this.locate(path);
    const data = store.files.get(rel);
    if (data !== undefined) return data;
    return store.dirs.has(rel) ? 'EISDIR' : 'ENOENT';
  }

  write(path: string, data: string, append = false): FsError | undefined {
    if (normalizePath(path) === '/dev/null') return undefined;
    const { store, rel, readOnly } = this.locate(path);
    if (readOnly) return 'EROFS';
    if (store.dirs.has(rel)) return 'EISDIR';
    if (!store.dirs.has(parentOf(rel))) return 'ENOENT';
    store.files.set(rel, append ? (store.files.get(rel) ?? '') + data : data);
    return undefined;
  }

  remove(path: string): FsError | undefined {
    const { store, rel, readOnly } = this.locate(path);
    if (!store.files.has(rel)) return store.dirs.has(rel) ? 'EISDIR' : 'ENOENT';
    if (readOnly) return 'EROFS';
    store.files.delete(rel);
    return undefined;
  }

  mkdir(path: string, parents: boolean): FsError | undefined {
    const { store, rel, readOnly } = this.locate(path);
    if (readOnly) return 'EROFS';
    if (store.dirs.has(rel) || store.files.has(rel)) return parents ? undefined : 'EEXIST';
    if (!parents && !store.dirs.has(parentOf(rel))) return 'ENOENT';
    this.mkdirs(store, rel.split('/'));
    return undefined;
  }

  /** Names in a directory, sorted. */
  list(path: string): string[] | FsError {
    const { store, rel } = this.locate(path);
    if (store.files.has(rel)) return 'ENOTDIR';
    if (!store.dirs.has(rel)) return 'ENOENT';
    const prefix = rel ? `${rel}/` : '';
    const names = new Set<string>();
    for (const k of [...store.files.keys(), ...store.dirs]) {
      if (k.startsWith(prefix) && k.length > prefix.length) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    const base = normalizePath(path);
    for (const m of this.mounts) {
      if (parentOf(m.path) === (base === '/' ? '' : base))
        names.add(m.path.slice(m.path.lastIndexOf('/') + 1));
    }
    return [...names].sort();
  }
}

/** The directories every Linux image has, so scripts can write to /tmp without a mkdir. */
export function baseRootfs(files: Record<string, string> = {}): FileStore {
  const store = new FileStore();
  for (const d of [
    'bin',
    'dev',
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
  for (const [path, data] of Object.entries(files)) {
    const rel = normalizePath(path).slice(1);
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) store.dirs.add(parts.slice(0, i).join('/'));
    store.files.set(rel, data);
  }
  return store;
}
