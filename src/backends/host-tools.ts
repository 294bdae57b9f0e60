import * as fs from 'node:fs';
import * as path from 'node:path';

/** The first executable called `bin` on PATH (with Windows' PATHEXT), or undefined. */
export function findOnPath(bin: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, bin + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/** The command that installs kubectl on this platform (from the Kubernetes install docs). */
export function kubectlInstallCommand(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'brew install kubectl';
    case 'win32':
      return 'winget install -e --id Kubernetes.kubectl';
    default: {
      const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
      return (
        `curl -LO "https://dl.k8s.io/release/$(curl -Ls https://dl.k8s.io/release/stable.txt)/bin/linux/${arch}/kubectl"` +
        ' && sudo install -m 0755 kubectl /usr/local/bin/kubectl'
      );
    }
  }
}
