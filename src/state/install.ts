import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where clusterlab is installed: the directory of its package.json. Found by walking up from
 * this module, so it is the same whether the code runs from `src/` (tests) or `dist/`.
 */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'clusterlab') return dir;
    } catch {
      // No package.json here; keep walking.
    }
    if (path.dirname(dir) === dir) throw new Error(`clusterlab's package.json was not found above ${from}`);
  }
}

export const installPaths = (root: string = packageRoot()) => ({
  root,
  bin: path.join(root, 'bin', 'clusterlab.js'),
  simMain: path.join(root, 'dist', 'sim', 'main.js'),
  labDefinitions: path.join(root, 'labs'),
  packageJson: path.join(root, 'package.json'),
});

export function packageVersion(root: string = packageRoot()): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
}
