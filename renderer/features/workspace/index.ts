// workspace: the active view, the open dialog, focus requests.
export { useWorkspace, VIEW_ORDER, type ViewId, type FocusTarget } from './workspace-store';
export { useFocusRequest } from './use-focus-request';
