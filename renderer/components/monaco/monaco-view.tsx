// A small own wrapper around monaco.editor.create: one read-only editor, one model per text,
// the model disposed when the text changes or the view unmounts; the theme follows the system.
// Optionally: ranges of each line to mark as links (thread identities) and a click handler, and
// following the end of a growing text (a console). The text is shown inert (lib/inert.ts): control
// and bidi characters from a dump or a transcript appear escaped, as the CLI prints them.
import { useEffect, useRef } from 'react';
import { inertLine, inertText } from '../../lib/inert';
import { monaco } from './monaco-setup';
import { TRANSCRIPT_LANGUAGE } from './transcript-language';

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
export const themeName = () => (dark() ? 'dumpscope-dark' : 'dumpscope-light');

export interface MonacoViewProps {
  value: string;
  language?: string;
  /** Accessible name of the editor. */
  label: string;
  /** 1-based [start, end) column ranges of a line to mark as links. */
  links?: (line: string) => { start: number; end: number }[];
  /** A click on the text: the line and the 1-based column. */
  onClickText?: (line: string, column: number) => void;
  /** Keep the last line in view as the text grows. */
  followEnd?: boolean;
  testId?: string;
}

const MAX_LINK_LINES = 50_000;

export function MonacoView({ value, language = TRANSCRIPT_LANGUAGE, label, links, onClickText, followEnd = false, testId = 'monaco' }: MonacoViewProps) {
  const host = useRef<HTMLDivElement | null>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const click = useRef(onClickText);
  click.current = onClickText;

  useEffect(() => {
    if (!host.current) return;
    const e = monaco.editor.create(host.current, {
      readOnly: true,
      domReadOnly: true,
      ariaLabel: inertLine(label),
      theme: themeName(),
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: 12,
      lineHeight: 18,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      automaticLayout: true,
      renderLineHighlight: 'line',
      wordWrap: 'off',
      folding: false,
      glyphMargin: false,
      lineNumbersMinChars: 4,
      contextmenu: true,
      links: false,
      stickyScroll: { enabled: false },
      unicodeHighlight: { ambiguousCharacters: false },
    });
    editor.current = e;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => monaco.editor.setTheme(themeName());
    mq.addEventListener('change', onScheme);
    const sub = e.onMouseUp((ev) => {
      const pos = ev.target.position;
      const model = e.getModel();
      if (!pos || !model || !click.current) return;
      // a click, not the end of a selection
      if (!e.getSelection()?.isEmpty()) return;
      click.current(model.getLineContent(pos.lineNumber), pos.column);
    });
    return () => {
      sub.dispose();
      mq.removeEventListener('change', onScheme);
      e.getModel()?.dispose();
      e.dispose();
      editor.current = null;
    };
  }, [label]);

  useEffect(() => {
    const e = editor.current;
    if (!e) return;
    const model = monaco.editor.createModel(inertText(value), language);
    const old = e.getModel();
    e.setModel(model);
    old?.dispose();
    let decorations: monaco.editor.IEditorDecorationsCollection | null = null;
    if (links) {
      const ds: monaco.editor.IModelDeltaDecoration[] = [];
      const n = Math.min(model.getLineCount(), MAX_LINK_LINES);
      for (let i = 1; i <= n; i++) {
        for (const l of links(model.getLineContent(i))) {
          ds.push({ range: new monaco.Range(i, l.start, i, l.end), options: { inlineClassName: 'thread-link', hoverMessage: { value: 'Click to select this thread' } } });
        }
      }
      decorations = e.createDecorationsCollection(ds);
    }
    if (followEnd) e.revealLine(model.getLineCount());
    return () => decorations?.clear();
  }, [value, language, links, followEnd]);

  return <div className="monaco-host" ref={host} data-testid={testId} />;
}
