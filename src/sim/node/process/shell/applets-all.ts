/**
 * Every applet module, one registration each: importing this file fills the registry the
 * interpreter looks commands up in. Add a module here with one line.
 */
import './applets.js';
import './applets-files.js';
import './applets-system.js';
import './applets-net.js';
import './applets-node.js';
