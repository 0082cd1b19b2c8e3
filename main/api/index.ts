// api: the implementation of shared/api.ts over main/core, and the runners it uses.
export { DumpscopeService, type ServiceOptions, type EmitFn } from './service';
export { InlineRunner, analyzeOptions, type AnalysisRunner, type AnalysisRequest, type ProgressListener } from './runner';
export { WorkerRunner } from './worker-runner';
