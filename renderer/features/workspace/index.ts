// workspace: the active view, the open dialog, focus requests.
export { useWorkspace, VIEW_ORDER, VIEW_LABEL, type ViewId, type FocusTarget } from './workspace-store';
export { useFocusRequest } from './use-focus-request';
