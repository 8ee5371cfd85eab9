/**
 * Entry of the HVP Playground page: creates the store and the training- and dataset-worker clients once
 * (outside React, so StrictMode never spawns a second worker), routes every worker message into
 * the store, and renders the app.
 * Must not import: tfjs, zustand, recharts (those stay behind ui/store and ui/charts).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WorkerTrainerClient } from './worker/client';
import { DatasetWorkerClient } from './worker/datasetClient';
import { createAppStore } from './ui/store/appStore';
import { App } from './ui/components/App/App';
import './ui/styles/global.css';

const store = createAppStore();
const trainer = new WorkerTrainerClient();
trainer.subscribe((msg) => store.getState().applyWorkerMessage(msg));
const datasets = new DatasetWorkerClient();
datasets.subscribe((msg) => store.getState().applyDatasetMessage(msg));

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element.');
createRoot(rootEl).render(
  <StrictMode>
    <App store={store} trainer={trainer} datasets={datasets} />
  </StrictMode>,
);

// On hot reload of this module the old worker would keep training in the background.
import.meta.hot?.dispose(() => {
  trainer.terminate();
  datasets.terminate();
});
