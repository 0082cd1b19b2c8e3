// Monaco's diff editor, read-only, over two texts (a thread's stack in two dumps): two models,
// both disposed when the texts change or the view unmounts. Both shown inert (lib/inert.ts).
import { useEffect, useRef } from 'react';
import { inertLine, inertText } from '../../lib/inert';
import { monaco } from './monaco-setup';
import { themeName } from './monaco-view';
import { TRANSCRIPT_LANGUAGE } from './transcript-language';

export function MonacoDiffView({ original, modified, label }: { original: string; modified: string; label: string }) {
  const host = useRef<HTMLDivElement | null>(null);
  const editor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const e = monaco.editor.createDiffEditor(host.current, {
      readOnly: true,
      originalEditable: false,
      ariaLabel: inertLine(label),
      theme: themeName(),
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: 12,
      lineHeight: 18,
      minimap: { enabled: false },
      automaticLayout: true,
      scrollBeyondLastLine: false,
      renderSideBySide: true,
      ignoreTrimWhitespace: false,
      renderOverviewRuler: false,
      stickyScroll: { enabled: false },
    });
    editor.current = e;
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => monaco.editor.setTheme(themeName());
    mq.addEventListener('change', onScheme);
    return () => {
      mq.removeEventListener('change', onScheme);
      const m = e.getModel();
      e.dispose();
      m?.original.dispose();
      m?.modified.dispose();
      editor.current = null;
    };
  }, [label]);

  useEffect(() => {
    const e = editor.current;
    if (!e) return;
    const old = e.getModel();
    e.setModel({ original: monaco.editor.createModel(inertText(original), TRANSCRIPT_LANGUAGE), modified: monaco.editor.createModel(inertText(modified), TRANSCRIPT_LANGUAGE) });
    old?.original.dispose();
    old?.modified.dispose();
  }, [original, modified]);

  return <div className="monaco-host" ref={host} data-testid="monaco-diff" />;
}
