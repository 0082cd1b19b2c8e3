// ui: small shared building blocks.
export { Kbd, ErrorMessage, ProgressBar, Copyable, EmptyState } from './ui';
export { SplitPane, VSplit } from './split-pane';
