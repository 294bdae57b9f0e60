import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Subshell {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * How to start the user's shell for a lab: KUBECONFIG and CLUSTERLAB_LAB set, and the lab's
 * name in front of the prompt. bash and zsh get small startup files (in `initDir`) that load
 * the user's own first, so aliases and completions stay; other shells get PS1.
 */
export function prepareSubshell(o: {
  lab: string;
  kubeconfig: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  initDir: string;
}): Subshell {
  const tag = `(clusterlab:${o.lab})`;
  const env: NodeJS.ProcessEnv = { ...o.env, KUBECONFIG: o.kubeconfig, CLUSTERLAB_LAB: o.lab };
  if (o.platform === 'win32' && !o.env.SHELL)
    return { file: o.env.ComSpec || 'cmd.exe', args: [], env: { ...env, PROMPT: `${tag} $P$G` } };
  const file = o.env.SHELL || '/bin/sh';
  // The user's startup files may set KUBECONFIG themselves; ours set it again after them.
  const reexport = `export KUBECONFIG=${sq(o.kubeconfig)} CLUSTERLAB_LAB=${sq(o.lab)}`;
  fs.mkdirSync(o.initDir, { recursive: true, mode: 0o700 });
  switch (path.basename(file)) {
    case 'bash': {
      const rc = path.join(o.initDir, 'bashrc');
      fs.writeFileSync(
        rc,
        "# Written by `clusterlab shell`: the user's ~/.bashrc, then the lab.\n" +
          '[ -f ~/.bashrc ] && . ~/.bashrc\n' +
          `${reexport}\n` +
          `PS1=${sq(`${tag} `)}"\${PS1-\\$ }"\n`,
      );
      return { file, args: ['--rcfile', rc], env };
    }
    case 'zsh': {
      const zdot = path.join(o.initDir, 'zsh');
      fs.mkdirSync(zdot, { recursive: true });
      const original = o.env.ZDOTDIR || o.env.HOME || '';
      fs.writeFileSync(
        path.join(zdot, '.zshenv'),
        '# Written by `clusterlab shell`.\n' +
          '[ -f "$CLUSTERLAB_ZDOTDIR/.zshenv" ] && . "$CLUSTERLAB_ZDOTDIR/.zshenv"\n',
      );
      fs.writeFileSync(
        path.join(zdot, '.zshrc'),
        "# Written by `clusterlab shell`: the user's .zshrc, then the lab.\n" +
          'ZDOTDIR="$CLUSTERLAB_ZDOTDIR"\n' +
          '[ -f "$ZDOTDIR/.zshrc" ] && . "$ZDOTDIR/.zshrc"\n' +
          `${reexport}\n` +
          `PROMPT=${sq(`${tag} `)}"\${PROMPT-%# }"\n`,
      );
      return { file, args: [], env: { ...env, ZDOTDIR: zdot, CLUSTERLAB_ZDOTDIR: original } };
    }
    default:
      return { file, args: [], env: { ...env, PS1: `${tag} ${o.env.PS1 ?? '$ '}` } };
  }
}
