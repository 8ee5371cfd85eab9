/**
 * Analysis worker entry: only wiring. Runs the "Why are hard views hard?" analyses (reading a view-log
 * file, the random forest of the loss, the choice model, CSV / JSON Lines export) off the main
 * thread, apart from the training worker, so a fit never stalls the page or the run.
 * Must not import: ui/, tfjs, gpu/.
 */
import { createAnalysisHandler } from './analysisHandler';
import type { FromAnalysisWorker, ToAnalysisWorker } from './analysisProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createAnalysisHandler({ post: (msg: FromAnalysisWorker) => scope.postMessage(msg) });
scope.onmessage = (ev: MessageEvent<ToAnalysisWorker>) => void handle(ev.data);
