// transcript: the Transcript tab (identity table now; imported transcripts later).
export { TranscriptView } from './transcript-view';
export { identityTable } from './identity-table';
