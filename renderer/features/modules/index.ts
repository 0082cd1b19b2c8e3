// modules: the current dump's modules with build-ids and their provenance.
export { useModules } from './modules-store';
export { ModulesView } from './modules-view';
export { MODULE_COLUMNS } from './module-columns';
