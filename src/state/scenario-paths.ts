import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the scenario engine keeps its state under the state directory: progress per learner,
 * lab and scenario, and the scenario folders the user trusts to run scripts.
 */

export const progressDir = (state: string): string => path.join(state, 'progress');

/** `<state>/progress/<learner>/<lab>/<scenario>.json`; ids are DNS labels, learner names are made safe. */
export const progressFile = (state: string, learner: string, lab: string, scenario: string): string =>
  path.join(progressDir(state), safeSegment(learner), lab, `${scenario}.json`);

export const trustFile = (state: string): string => path.join(state, 'trusted-scenarios.json');

/** Who is learning: CLUSTERLAB_LEARNER, else the login name. */
export function learnerName(env: NodeJS.ProcessEnv): string {
  if (env.CLUSTERLAB_LEARNER) return env.CLUSTERLAB_LEARNER;
  try {
    return os.userInfo().username || 'learner';
  } catch {
    return env.USER || env.USERNAME || 'learner';
  }
}

/** A name usable as one path segment on every platform. */
export function safeSegment(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return s.slice(0, 64) || 'learner';
}
