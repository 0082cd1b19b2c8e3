// Native open-dialog options for the File menu's commands. Dumps have no reliable extension
// (`core`, `core.1234`), so "All Files" is the first filter: a `.core`/`.dmp` filter first
// would hide most real dumps.
import type { OpenDialogOptions } from 'electron';
import { assertNever } from '../../shared/errors';

export type PickCommand = 'openDump' | 'importTranscript' | 'addSymbolFolder' | 'compareWith';

const ALL_FILES = { name: 'All Files', extensions: ['*'] };

export function openDialogOptions(command: PickCommand): OpenDialogOptions {
  switch (command) {
    case 'openDump':
      return { title: 'Open Dump', properties: ['openFile'], filters: [ALL_FILES, { name: 'Core dumps (.core, .dmp)', extensions: ['core', 'dmp'] }] };
    case 'compareWith':
      return { title: 'Compare With Dump', properties: ['openFile'], filters: [ALL_FILES, { name: 'Core dumps (.core, .dmp)', extensions: ['core', 'dmp'] }] };
    case 'importTranscript':
      return { title: 'Import Debugger Transcript', properties: ['openFile'], filters: [{ name: 'Transcripts (.txt, .log)', extensions: ['txt', 'log'] }, ALL_FILES] };
    case 'addSymbolFolder':
      return { title: 'Add Symbol Folder', properties: ['openDirectory'] };
    default:
      return assertNever(command, 'command');
  }
}
