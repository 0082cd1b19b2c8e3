// A small own wrapper around monaco.editor.create: one read-only editor, one model per text,
// the model disposed when the text changes or the view unmounts; the theme follows the system.
import { useEffect, useRef } from 'react';
import { monaco } from './monaco-setup';
import { TRANSCRIPT_LANGUAGE } from './transcript-language';

const dark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;
const themeName = () => (dark() ? 'dumpscope-dark' : 'dumpscope-light');

export interface MonacoViewProps {
  value: string;
  language?: string;
  /** Accessible name of the editor. */
  label: string;
}

export function MonacoView({ value, language = TRANSCRIPT_LANGUAGE, label }: MonacoViewProps) {
  const host = useRef<HTMLDivElement | null>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const e = monaco.editor.create(host.current, {
      readOnly: true,
      domReadOnly: true,
      ariaLabel: label,
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
    return () => {
      mq.removeEventListener('change', onScheme);
      e.getModel()?.dispose();
      e.dispose();
      editor.current = null;
    };
  }, [label]);

  useEffect(() => {
    const e = editor.current;
    if (!e) return;
    const model = monaco.editor.createModel(value, language);
    const old = e.getModel();
    e.setModel(model);
    old?.dispose();
  }, [value, language]);

  return <div className="monaco-host" ref={host} data-testid="monaco" />;
}
