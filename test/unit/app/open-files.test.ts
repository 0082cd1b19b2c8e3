import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandForFile, filesFromArgv } from '../../../main/app/open-files';

const existing = new Set(['/home/u/dumps/core', '/home/u/dumps/core.3193', '/home/u/dumps/svc.core', '/home/u/dumps/w3wp.dmp', '/home/u/dumps/lldb out.txt', '/opt/dumpscope/dumpscope']);
const isFile = (p: string) => existing.has(p);

describe('filesFromArgv', () => {
  it('takes every existing file, whatever its name (core, core.<pid>, *.core, *.dmp)', () => {
    const argv = ['/opt/dumpscope/dumpscope', 'core', 'core.3193', '/home/u/dumps/svc.core', 'w3wp.dmp'];
    expect(filesFromArgv(argv, { skip: 1, cwd: '/home/u/dumps', isFile })).toEqual([
      '/home/u/dumps/core',
      '/home/u/dumps/core.3193',
      '/home/u/dumps/svc.core',
      '/home/u/dumps/w3wp.dmp',
    ]);
  });

  it('skips the executable, `electron .`, switches, directories, missing files and duplicates', () => {
    const argv = ['/usr/lib/electron/electron', '/opt/dumpscope/dumpscope', '--no-sandbox', '--allow-file-access-from-files', '-v', '', 'missing.core', '/home/u/dumps', 'core', './core'];
    expect(filesFromArgv(argv, { skip: 2, cwd: '/home/u/dumps', isFile })).toEqual(['/home/u/dumps/core']);
  });

  it('accepts file:// URLs (a .desktop entry\'s %U)', () => {
    const url = pathToFileURL('/home/u/dumps/lldb out.txt').href;
    expect(filesFromArgv(['exe', url, 'file://remote-host/x'], { skip: 1, cwd: '/', isFile })).toEqual(['/home/u/dumps/lldb out.txt']);
  });

  it('checks the real file system by default', () => {
    expect(filesFromArgv(['exe', __filename, path.dirname(__filename), __filename + '.nope'], { skip: 1, cwd: '/' })).toEqual([__filename]);
  });
});

describe('commandForFile', () => {
  it('opens dumps and imports transcripts', () => {
    expect(commandForFile('/d/core')).toEqual({ command: 'openDump', path: '/d/core' });
    expect(commandForFile('/d/core.3193')).toEqual({ command: 'openDump', path: '/d/core.3193' });
    expect(commandForFile('/d/a.dmp')).toEqual({ command: 'openDump', path: '/d/a.dmp' });
    expect(commandForFile('/d/sos-clrstack.TXT')).toEqual({ command: 'importTranscript', path: '/d/sos-clrstack.TXT' });
    expect(commandForFile('/d/gdb.log')).toEqual({ command: 'importTranscript', path: '/d/gdb.log' });
  });
});
