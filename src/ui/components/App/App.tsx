/**
 * App: the page layout and its providers. Header with title and StatusLine, banners and the
 * link's warnings (UrlWarnings), a left column with the run group (Controls, the event log), the
 * ConfigPanel and the storage group (CheckpointPanel, DatasetPanel), and a grid of live panels
 * (the step slider, the explained step when asked for, then loss, IoU, the view gallery, what HVP
 * picks, why hard views are hard (AnalysisPanel), the planned schedules, kNN, linear probe, collapse
 * health, PCA map, the twin run). The groups are named boxes so App.module.css can re-flow them at
 * narrow widths and hide all but the run group in classroom mode (`?classroom=1`). The store and
 * the worker client are created in main.tsx and passed in, so tests and the page share one wiring.
 * Must not import: zustand, recharts, tfjs.
 */
import type { TrainerCommands } from '../../../worker/client';
import type { DatasetCommands } from '../../../worker/datasetClient';
import { DatasetClientContext } from '../../hooks/useDatasets';
import { useClassroomMode, useUrlConfig } from '../../hooks/useUrlConfig';
import { TrainerContext, useAutostart, useBackendInit } from '../../hooks/useTrainer';
import type { AppStore } from '../../store/appStore';
import { AppStoreContext } from '../../store/useAppStore';
import { AnalysisPanel } from '../AnalysisPanel/AnalysisPanel';
import { AutosaveOffer } from '../AutosaveOffer/AutosaveOffer';
import { Banner } from '../Banner/Banner';
import { CheckpointPanel } from '../CheckpointPanel/CheckpointPanel';
import { ConfigPanel } from '../ConfigPanel/ConfigPanel';
import { Controls } from '../Controls/Controls';
import { DatasetPanel } from '../DatasetPanel/DatasetPanel';
import { EventLog } from '../EventLog/EventLog';
import { ExplainPanel } from '../ExplainPanel/ExplainPanel';
import { Gallery } from '../Gallery/Gallery';
import { Intro } from '../Intro/Intro';
import { IouChart } from '../IouChart/IouChart';
import { EmbeddingMap } from '../EmbeddingMap/EmbeddingMap';
import { HealthPanel } from '../HealthPanel/HealthPanel';
import { KnnChart } from '../KnnChart/KnnChart';
import { LossChart } from '../LossChart/LossChart';
import { PairStatsPanel } from '../PairStatsPanel/PairStatsPanel';
import { ProbeChart } from '../ProbeChart/ProbeChart';
import { ScheduleChart } from '../ScheduleChart/ScheduleChart';
import { SoftwareGpuBanner } from '../SoftwareGpuBanner/SoftwareGpuBanner';
import { StatusLine } from '../StatusLine/StatusLine';
import { StepSlider } from '../StepSlider/StepSlider';
import { SweepsPanel } from '../SweepsPanel/SweepsPanel';
import { TwinPanel } from '../TwinPanel/TwinPanel';
import { UrlWarnings } from '../UrlWarnings/UrlWarnings';
import styles from './App.module.css';

/** Props of App. */
export interface AppProps {
  store: AppStore;
  trainer: TrainerCommands;
  datasets: DatasetCommands;
}

function Layout() {
  const { autostart, maxSteps, isClassroom: isClassroomInUrl } = useUrlConfig();
  const classroom = useClassroomMode(isClassroomInUrl);
  useBackendInit();
  useAutostart(autostart, maxSteps);
  return (
    <div className={`${styles.page} ${classroom.isClassroom ? styles.classroom : ''}`} data-testid="page" data-classroom={classroom.isClassroom}>
      <header className={styles.header}>
        <div className={styles.brand}>
          <h1 className={styles.title}>HVP Playground</h1>
          <p className={styles.tagline}>Self-supervised learning (SimSiam, SimCLR, BYOL, DINO, iBOT) with Hard View Pretraining, trained live in your browser</p>
        </div>
        <StatusLine maxSteps={maxSteps} />
        <button type="button" className={styles.viewToggle} data-testid="classroom-toggle" onClick={classroom.toggle}
          title={classroom.isClassroom ? 'Show the settings, checkpoints and datasets again.' : 'Hide the settings and enlarge the charts and the gallery, for a projector (?classroom=1).'}>
          {classroom.isClassroom ? 'Exit classroom mode' : 'Classroom mode'}
        </button>
      </header>
      <UrlWarnings />
      {classroom.isClassroom ? null : <Intro maxSteps={maxSteps} />}
      <SoftwareGpuBanner maxSteps={maxSteps} />
      <Banner />
      <AutosaveOffer maxSteps={maxSteps} />
      <main className={styles.main}>
        <aside className={styles.left}>
          <div className={styles.run}>
            <Controls maxSteps={maxSteps} />
            <EventLog />
          </div>
          <div className={styles.settings}>
            <ConfigPanel />
          </div>
          <div className={styles.storage}>
            <CheckpointPanel maxSteps={maxSteps} />
            <DatasetPanel />
          </div>
        </aside>
        <div className={styles.right}>
          <StepSlider />
          <ExplainPanel />
          <LossChart />
          <IouChart />
          <Gallery />
          <PairStatsPanel />
          <AnalysisPanel />
          <ScheduleChart />
          <KnnChart />
          <ProbeChart />
          <HealthPanel />
          <EmbeddingMap />
          <TwinPanel maxSteps={maxSteps} />
          <SweepsPanel />
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
