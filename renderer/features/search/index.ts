// search: every frame, module and transcript of every indexed dump (the search method); hits
// open the dump at their thread and frame.
export { useSearch, flatHits } from './search-store';
export { SearchView, SearchBox } from './search-view';
export { splitMatches } from './highlight';
