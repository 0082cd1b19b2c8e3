// lock-graph: the wait-for graph (getLocks) drawn with d3-force: cycles in red, likely edges
// dashed, many idle waiters collapsed; clicking a thread selects it everywhere.
export { LockGraphView } from './lock-graph-view';
export { buildGraphModel, edgeVerb, DEFAULT_COLLAPSE_AT, type GraphModel, type ViewNode, type ViewEdge } from './graph-model';
export { layoutGraph, boundsOf, type Point } from './graph-layout';
