import { groupHelp } from '../scenario/group.js';

export const { run } = groupHelp('progress');
