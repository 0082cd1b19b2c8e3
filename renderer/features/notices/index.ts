// notices: transient messages (confirmations, errors without a better place).
export { notify, useNotices, type Notice } from './notices-store';
export { NoticesView } from './notices-view';
