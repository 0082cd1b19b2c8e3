// symbols: symbol folders and each module's symbol status; changing folders re-symbolizes the dump.
export { useSymbols } from './symbols-store';
export { SymbolFoldersPanel } from './symbol-folders-panel';
