/**
 * App: the page layout and its providers. Header with title and StatusLine, banners, a left
 * column with Controls, the event log, the CheckpointPanel, the DatasetPanel and the ConfigPanel, and a right column of live panels
 * (the step slider, the explained step when asked for, then loss, IoU, what HVP picks, the planned schedules, kNN, linear probe, collapse health, PCA map, view gallery, the twin run). The store and the worker client are created in main.tsx and
 * passed in, so tests and the page share one wiring.
 * Must not import: zustand, recharts, tfjs.
 */
import type { TrainerCommands } from '../../../worker/client';
import type { DatasetCommands } from '../../../worker/datasetClient';
import { DatasetClientContext } from '../../hooks/useDatasets';
import { useUrlConfig } from '../../hooks/useUrlConfig';
import { TrainerContext, useAutostart, useBackendInit } from '../../hooks/useTrainer';
import type { AppStore } from '../../store/appStore';
import { AppStoreContext } from '../../store/useAppStore';
import { AutosaveOffer } from '../AutosaveOffer/AutosaveOffer';
import { Banner } from '../Banner/Banner';
import { CheckpointPanel } from '../CheckpointPanel/CheckpointPanel';
import { ConfigPanel } from '../ConfigPanel/ConfigPanel';
import { Controls } from '../Controls/Controls';
import { DatasetPanel } from '../DatasetPanel/DatasetPanel';
import { EventLog } from '../EventLog/EventLog';
import { ExplainPanel } from '../ExplainPanel/ExplainPanel';
import { Gallery } from '../Gallery/Gallery';
import { IouChart } from '../IouChart/IouChart';
import { EmbeddingMap } from '../EmbeddingMap/EmbeddingMap';
import { HealthPanel } from '../HealthPanel/HealthPanel';
import { KnnChart } from '../KnnChart/KnnChart';
import { LossChart } from '../LossChart/LossChart';
import { PairStatsPanel } from '../PairStatsPanel/PairStatsPanel';
import { ProbeChart } from '../ProbeChart/ProbeChart';
import { ScheduleChart } from '../ScheduleChart/ScheduleChart';
import { StatusLine } from '../StatusLine/StatusLine';
import { StepSlider } from '../StepSlider/StepSlider';
import { TwinPanel } from '../TwinPanel/TwinPanel';
import styles from './App.module.css';

/** Props of App. */
export interface AppProps {
  store: AppStore;
  trainer: TrainerCommands;
  datasets: DatasetCommands;
}

function Layout() {
  const { autostart, maxSteps } = useUrlConfig();
  useBackendInit();
  useAutostart(autostart, maxSteps);
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.brand}>
          <h1 className={styles.title}>HVP Playground</h1>
          <p className={styles.tagline}>Self-supervised learning (SimSiam, SimCLR, BYOL, DINO, iBOT) with Hard View Pretraining, trained live in your browser</p>
        </div>
        <StatusLine />
      </header>
      <Banner />
      <AutosaveOffer maxSteps={maxSteps} />
      <main className={styles.main}>
        <aside className={styles.left}>
          <Controls maxSteps={maxSteps} />
          <EventLog />
          <CheckpointPanel maxSteps={maxSteps} />
          <DatasetPanel />
          <ConfigPanel />
        </aside>
        <div className={styles.right}>
          <StepSlider />
          <ExplainPanel />
          <LossChart />
          <IouChart />
          <PairStatsPanel />
          <ScheduleChart />
          <KnnChart />
          <ProbeChart />
          <HealthPanel />
          <EmbeddingMap />
          <Gallery />
          <TwinPanel maxSteps={maxSteps} />
        </div>
      </main>
    </div>
  );
}

/** The whole app. */
export function App({ store, trainer, datasets }: AppProps) {
  return (
    <AppStoreContext.Provider value={store}>
      <TrainerContext.Provider value={trainer}>
        <DatasetClientContext.Provider value={datasets}>
          <Layout />
        </DatasetClientContext.Provider>
      </TrainerContext.Provider>
    </AppStoreContext.Provider>
  );
}
