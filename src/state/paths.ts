import * as os from 'node:os';
import * as path from 'node:path';

/** What decides where clusterlab keeps its state; passed in so tests can play any platform. */
export interface PlatformInfo {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: string;
  cwd: string;
}

export function currentPlatform(): PlatformInfo {
  return { env: process.env, platform: process.platform, homedir: os.homedir(), cwd: process.cwd() };
}

/**
 * The state directory: `CLUSTERLAB_HOME` when set, otherwise the platform's place for
 * application state (XDG on Linux and the other Unixes).
 */
export function stateDir(p: PlatformInfo = currentPlatform()): string {
  const paths = p.platform === 'win32' ? path.win32 : path.posix;
  const override = p.env.CLUSTERLAB_HOME;
  if (override) return paths.resolve(p.cwd, override);
  switch (p.platform) {
    case 'darwin':
      return paths.join(p.homedir, 'Library', 'Application Support', 'clusterlab');
    case 'win32':
      return paths.join(p.env.LOCALAPPDATA || paths.join(p.homedir, 'AppData', 'Local'), 'clusterlab');
    default: {
      // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
      const xdg = p.env.XDG_STATE_HOME;
      const base = xdg && paths.isAbsolute(xdg) ? xdg : paths.join(p.homedir, '.local', 'state');
      return paths.join(base, 'clusterlab');
    }
  }
}

export const labsDir = (state: string): string => path.join(state, 'labs');

export const labDir = (state: string, name: string): string => path.join(labsDir(state), name);
