// symbols: from a pc to `module`function + offset (file:line), with inline frames.
// Takes a dump's modules (core/elf CoreModule: path, base, load bias, build-id) and where to
// look for files (user symbol folders, the dump's folder, /usr/lib/debug); produces per
// module a resolution (code file, symbol file, how each was found, what was rejected and
// why, quality none|dynsym|symtab|dwarf) and lookups of runtime pcs. Also the symbol-folder
// store (SQLite migration + store) and the demangler. Lookups never throw.
export {
  resolveModule,
  DumpSymbols,
  ModuleSymbols,
  formatLookup,
  type ResolveContext,
  type ModuleResolution,
  type FileChoice,
  type FoundBy,
  type SymbolQuality,
  type SymbolLookup,
  type InlineFrame,
  type LookupOptions,
} from './module-symbols';
export {
  SymbolFolderStore,
  SymbolFolderIndex,
  scanSymbolFolder,
  folderFingerprint,
  DEFAULT_SCAN_LIMITS,
  type SymbolFileIndex,
  type SymbolFileRecord,
  type SymbolFolderInfo,
  type FolderLayout,
  type FolderScan,
  type ScanLimits,
} from './symbol-folders';
export { symbolFolderMigration, type SymbolFolderMigration } from './folder-schema';
export { type SqlDatabase } from './sql';
export { DEFAULT_DEBUG_DIRS, inspectElf, type ElfFileInfo, type ElfFileKind } from './debug-files';
export { demangle, nameLanguage, type NameLanguage } from './demangle';
export { DataSymbolTable, type DataSymbolMatch } from './data-symbols';
export { clearSymbolFileCache } from './symbol-file';
