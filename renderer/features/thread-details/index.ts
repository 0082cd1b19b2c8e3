// thread-details: the selected thread's identities, state and registers, and the named slots
// for the stack, lock graph and transcript views that later API methods feed.
export { ThreadDetails } from './thread-details';
export { groupRegisters, REGISTER_GROUPS } from './register-order';
