// monaco: the bundled editor wrapper and the transcript grammar. Import MonacoView lazily
// (React.lazy) so Monaco loads only with the first editor.
export { TRANSCRIPT_LANGUAGE, transcriptGrammar } from './transcript-language';
