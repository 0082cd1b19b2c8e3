// transcript: the identity table, the dump's debugger transcripts (listTranscripts, getTranscript,
// importTranscript) and the console (built-in commands, others to runEngineCommand).
export { TranscriptView } from './transcript-view';
export { useTranscripts, type TranscriptPick, type ConsoleTarget } from './transcript-store';
export { identityTable } from './identity-table';
export { runBuiltin, isBuiltin, threadsText, clrthreadsText, locksText, frameLine, BUILTIN_HELP, type ConsoleContext, type ConsoleAnswer } from './console-commands';
export { threadLinks, threadLinkAt, type ThreadLink } from './thread-links';
