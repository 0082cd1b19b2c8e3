// io: bounded positional reads from files and buffers, and a small LRU page cache.
// Takes paths or buffers; produces ByteSources. Everything that reads a dump or a module goes
// through here, so read statistics are complete.
export { FileSource, BufferSource, MAX_SINGLE_READ, type ByteSource, type ReadStats } from './file-source';
export { PageCache, type PageCacheOptions } from './page-cache';
export { BoundedReader } from './bounded-reader';
