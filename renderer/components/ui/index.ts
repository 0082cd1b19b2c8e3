// ui: small shared building blocks.
export { Kbd, ErrorMessage, ProgressBar, Copyable, EmptyState, Untrusted, UntrustedLines } from './ui';
export { SplitPane, VSplit } from './split-pane';
