// Monaco, bundled (no CDN, no request beyond our own origin): the 0.57 entry points, the editor
// worker built by Vite, our transcript language and themes. Imported lazily with the first view
// that shows an editor, so the app starts without Monaco's 4 MB.
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { defineTranscriptThemes, TRANSCRIPT_LANGUAGE, transcriptGrammar } from './transcript-language';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.languages.register({ id: TRANSCRIPT_LANGUAGE });
monaco.languages.setMonarchTokensProvider(TRANSCRIPT_LANGUAGE, transcriptGrammar);
defineTranscriptThemes(monaco);

export { monaco };
