// A Monarch grammar for debugger transcripts (lldb, gdb, dotnet-dump/SOS) and dumpscope's own
// tables: prompts and commands, addresses, thread identities, `module`symbol`, source lines.
import type * as Monaco from 'monaco-editor/editor';

export const TRANSCRIPT_LANGUAGE = 'dumpscope-transcript';

export const transcriptGrammar: Monaco.languages.IMonarchLanguage = {
  defaultToken: '',
  ignoreCase: false,
  tokenizer: {
    root: [
      // A prompt and the command after it: (lldb) bt, (gdb) thread apply all bt, > clrthreads
      [/^(\(lldb\)|\(gdb\)|>)(\s+)(.*)$/, ['keyword.prompt', '', 'keyword.command']],
      // Our tables' header line: '#   DBG   TID   OSID …'
      [/^\s*#\s+DBG\b.*$/, 'keyword.header'],
      // Comment lines start with '# ' (a thread index is '#16', no space)
      [/^# .*$/, 'comment'],
      // Thread identities in the forms debuggers print them
      [/\b(?:tid|TID)\s*=\s*\d+/, 'type.thread'],
      [/\bLWP \d+\b/, 'type.thread'],
      [/\bthread #\d+\b/, 'type.thread'],
      [/\bOS Thread Id: 0x[0-9a-fA-F]+/, 'type.thread'],
      [/(?:^|\s)#\d+\b/, 'type.thread'],
      [/\bdbg:\d+\b/, 'type.thread'],
      // lldb's module`symbol
      [/([\w.+-]+)(`)([\w:~<>$.,*&[\] -]+?)(?=\s\+|\s|$|\()/, ['type.module', 'delimiter', 'entity.symbol']],
      // Runtime frames: [PrestubMethodFrame: 00007f28…]
      [/\[[A-Za-z]+Frame: [0-9a-fA-F]+\]/, 'annotation'],
      // Source locations: at file.c:12, [/_/src/x.cs @ 1015]
      [/\bat [^\s:]+:\d+/, 'string.path'],
      [/\[[^\]\s]+ @ \d+\]/, 'string.path'],
      [/0x[0-9a-fA-F]+\b/, 'number.address'],
      [/\b[0-9a-fA-F]{12,16}\b/, 'number.address'],
      [/\b(?:SIG(?!NAL\b)[A-Z]+[12]?|FUTEX_[A-Z_|]+)\b/, 'constant'],
      [/\b\d+\b/, 'number'],
    ],
  },
};

/** Colors for the grammar's tokens, on Monaco's light and dark bases. */
export function defineTranscriptThemes(monaco: typeof Monaco): void {
  monaco.editor.defineTheme('dumpscope-light', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword.prompt', foreground: '7a3e9d', fontStyle: 'bold' },
      { token: 'keyword.command', foreground: '7a3e9d' },
      { token: 'keyword.header', foreground: '1c2026', fontStyle: 'bold' },
      { token: 'comment', foreground: '6a737d', fontStyle: 'italic' },
      { token: 'type.thread', foreground: '005cc5', fontStyle: 'bold' },
      { token: 'type.module', foreground: '22863a' },
      { token: 'entity.symbol', foreground: '6f42c1' },
      { token: 'annotation', foreground: 'b35900' },
      { token: 'string.path', foreground: '032f62' },
      { token: 'number.address', foreground: '8a6d00' },
      { token: 'constant', foreground: 'c2362b' },
      { token: 'number', foreground: '1d6f42' },
    ],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#a0a7b1' },
  });
  monaco.editor.defineTheme('dumpscope-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'keyword.prompt', foreground: 'c792ea', fontStyle: 'bold' },
      { token: 'keyword.command', foreground: 'c792ea' },
      { token: 'keyword.header', foreground: 'dde1e6', fontStyle: 'bold' },
      { token: 'comment', foreground: '7f8a96', fontStyle: 'italic' },
      { token: 'type.thread', foreground: '79b8ff', fontStyle: 'bold' },
      { token: 'type.module', foreground: '85e89d' },
      { token: 'entity.symbol', foreground: 'b392f0' },
      { token: 'annotation', foreground: 'ffab70' },
      { token: 'string.path', foreground: '9ecbff' },
      { token: 'number.address', foreground: 'e0c46c' },
      { token: 'constant', foreground: 'f97583' },
      { token: 'number', foreground: '8ddb8c' },
    ],
    colors: { 'editor.background': '#1b1e23', 'editorLineNumber.foreground': '#5c6470' },
  });
}
