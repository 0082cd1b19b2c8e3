// modules: the current dump's modules with build-ids, symbol status and provenance.
export { useModules } from './modules-store';
export { ModulesView } from './modules-view';
export { MODULE_COLUMNS, mergeSymbols, type ModuleRow } from './module-columns';
