// ui: small shared building blocks.
export { Kbd, FilterField, ErrorMessage, ProgressBar, Copyable, EmptyState, Untrusted, UntrustedLines } from './ui';
export { SplitPane, VSplit } from './split-pane';
