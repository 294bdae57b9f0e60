import { describe, expect, it } from 'vitest';
import { labCommand, labNameProblem, suggestLabName } from '../../src/state/names.js';
import { type PlatformInfo, stateDir } from '../../src/state/paths.js';

const on = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}, homedir = '/home/ada'): PlatformInfo => ({
  platform,
  env,
  homedir,
  cwd: '/work',
});

describe('state directory', () => {
  it('CLUSTERLAB_HOME wins everywhere, resolved against the working directory', () => {
    expect(stateDir(on('linux', { CLUSTERLAB_HOME: '/tmp/cl' }))).toBe('/tmp/cl');
    expect(stateDir(on('darwin', { CLUSTERLAB_HOME: 'labs-state' }))).toBe('/work/labs-state');
  });

  it('Linux follows XDG: $XDG_STATE_HOME/clusterlab, else ~/.local/state/clusterlab', () => {
    expect(stateDir(on('linux'))).toBe('/home/ada/.local/state/clusterlab');
    expect(stateDir(on('linux', { XDG_STATE_HOME: '/var/state' }))).toBe('/var/state/clusterlab');
    // The XDG spec: a relative path in these variables is invalid and ignored.
    expect(stateDir(on('linux', { XDG_STATE_HOME: 'rel' }))).toBe('/home/ada/.local/state/clusterlab');
    expect(stateDir(on('freebsd'))).toBe('/home/ada/.local/state/clusterlab');
  });

  it('macOS uses Application Support, Windows LOCALAPPDATA', () => {
    expect(stateDir(on('darwin', {}, '/Users/ada'))).toBe(
      '/Users/ada/Library/Application Support/clusterlab',
    );
    expect(stateDir(on('win32', { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'C:\\Users\\ada'))).toBe(
      'C:\\Users\\ada\\AppData\\Local\\clusterlab',
    );
    expect(stateDir(on('win32', {}, 'C:\\Users\\ada'))).toBe('C:\\Users\\ada\\AppData\\Local\\clusterlab');
  });
});

describe('lab names', () => {
  it('accepts DNS labels up to 40 characters', () => {
    for (const ok of ['lab', 'a', 'cka-practice', 'team2', '2fast', 'x'.repeat(40)])
      expect(labNameProblem(ok)).toBeUndefined();
  });

  it('says what is wrong with the others', () => {
    expect(labNameProblem('')).toBe('a lab name cannot be empty');
    expect(labNameProblem('x'.repeat(41))).toContain('is 41 characters long; at most 40 are allowed');
    for (const bad of ['Lab', 'my_lab', '-lab', 'lab-', 'a.b', '../x', 'lab name'])
      expect(labNameProblem(bad)).toContain(`lab name "${bad}" is not valid`);
  });

  it('suggests a valid name close to an invalid one', () => {
    expect(suggestLabName('My_Lab')).toBe('my-lab');
    expect(suggestLabName('--Team 2--')).toBe('team-2');
    expect(suggestLabName('___')).toBe('lab');
    expect(labNameProblem(suggestLabName('Ünïcode Lab!'))).toBeUndefined();
  });

  it('suggested commands leave out --name for the default lab', () => {
    expect(labCommand('up', 'lab')).toBe('clusterlab up');
    expect(labCommand('up', 'cka', '--nodes 2')).toBe('clusterlab up --name cka --nodes 2');
  });
});
