import { type ContainerFs, normalizePath } from '../fs.js';

/**
 * The file tree seen from a working directory: every path argument is made absolute before
 * the tree sees it, so applets never deal with `cd`.
 */

const PATH_ARGS: Record<string, number> = {
  locate: 1,
  meta: 1,
  lmeta: 1,
  stat: 1,
  read: 1,
  write: 1,
  remove: 1,
  mkdir: 1,
  list: 1,
  rename: 2,
  copy: 2,
  chmod: 1,
};

export function withCwd(fs: ContainerFs, cwd: string): ContainerFs {
  if (cwd === '/') return fs;
  return new Proxy(fs, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      const n = typeof prop === 'string' ? PATH_ARGS[prop] : undefined;
      if (typeof value !== 'function' || n === undefined)
        return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) =>
        value.apply(
          target,
          args.map((a, i) => (i < n && typeof a === 'string' ? normalizePath(a, cwd) : a)),
        );
    },
  });
}
