/**
 * What a mounted filesystem offers the container's (or node's) file tree. Paths given to a
 * view are relative to its root, without a leading slash (`''` is the root itself). A
 * `FileStore` keeps files in memory; a dynamic view (a node's `/proc`, `/sys/fs/cgroup`)
 * computes them on every read.
 */

export type FsError = 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EROFS' | 'EEXIST' | 'EACCES' | 'ENOTEMPTY';

export type FileKind = 'file' | 'dir' | 'link';

export interface FileMeta {
  kind: FileKind;
  /** Permission bits (`0o644`). */
  mode: number;
  size: number;
  /** Modification time, epoch ms (0 when unknown). */
  mtime: number;
  uid: number;
  gid: number;
  /** A symlink's target. */
  target?: string;
}

export interface FsView {
  /** What is at `rel`, following symlinks. */
  stat(rel: string): FileMeta | undefined;
  /** Like stat, but a symlink is reported as itself (`ls -l`). */
  lstat?(rel: string): FileMeta | undefined;
  read(rel: string): string | FsError;
  /** Names in a directory, unsorted. */
  list(rel: string): string[] | FsError;
  write?(rel: string, data: string, append: boolean): FsError | undefined;
  remove?(rel: string, recursive: boolean): FsError | undefined;
  mkdir?(rel: string, parents: boolean): FsError | undefined;
  rename?(from: string, to: string): FsError | undefined;
  chmod?(rel: string, mode: number): FsError | undefined;
  /** Total and used bytes, for `df` (views without it count what they hold). */
  usage?(): { total: number; used: number };
}

/** How a mount shows in `/proc/mounts`, `mount` and `df`. */
export interface MountInfo {
  /** `overlay`, `tmpfs`, `/dev/vda1`, `proc`. */
  source: string;
  /** `overlay`, `tmpfs`, `ext4`, `proc`, `cgroup2`. */
  fsType: string;
  /** Options as the kernel lists them, without `ro`/`rw` (added from readOnly). */
  options?: string;
  /** Size in bytes `df` reports (tmpfs: its limit; disks: the disk). */
  sizeBytes?: number;
}

export const fsErrorText: Record<FsError, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EEXIST: 'File exists',
  EACCES: 'Permission denied',
  ENOTEMPTY: 'Directory not empty',
};

export const isFsError = (v: unknown): v is FsError => typeof v === 'string' && v in fsErrorText;

/** Normalise a path (`/a/./b/../c` → `/a/c`), relative to `cwd`. */
export function normalizePath(p: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const seg of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

export const parentOf = (rel: string) => rel.slice(0, Math.max(0, rel.lastIndexOf('/')));
