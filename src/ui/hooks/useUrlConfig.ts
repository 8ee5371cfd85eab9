/**
 * The address bar <-> store bridge: reads `window.location.search` once through the pure URL
 * codec, loads the config (and its warnings) into the store, then keeps the URL in sync with
 * `history.replaceState` whenever the config changes. `autostart=1` and `maxSteps=N` are the
 * app's own parameters: they are read here, preserved in the URL, and left out of share links.
 * This folder is the only place that touches `window.location`. Must not import: tfjs, recharts.
 */
import { useCallback, useLayoutEffect, useState } from 'react';
import { decodeConfig, encodeConfig } from '../../core/config/urlCodec';
import type { RunConfig } from '../../core/config/runConfig';
import { useAppStoreApi } from '../store/useAppStore';

/** App parameters read from the URL. */
export interface UrlRunOptions {
  /** `?autostart=1`: start training as soon as the page is up. */
  autostart: boolean;
  /** `?maxSteps=N`: stop the run after N steps (N ≥ 1), or null. */
  maxSteps: number | null;
  /** Problems with the app parameters themselves (e.g. `maxSteps=abc`). */
  warnings: string[];
}

const RESERVED_KEYS = ['autostart', 'maxSteps'] as const;

/** Parses the app parameters of a query string. Pure; exported for tests. */
export function parseRunOptions(search: string): UrlRunOptions {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const warnings: string[] = [];
  const rawAuto = params.get('autostart');
  const autostart = rawAuto === '1' || rawAuto === 'true';
  if (rawAuto !== null && !autostart && rawAuto !== '0' && rawAuto !== 'false') {
    warnings.push(`autostart="${rawAuto}" is not 1 or 0; not starting automatically.`);
  }
  const rawMax = params.get('maxSteps');
  let maxSteps: number | null = null;
  if (rawMax !== null) {
    const n = Number(rawMax);
    if (rawMax.trim() !== '' && Number.isInteger(n) && n >= 1) maxSteps = n;
    else warnings.push(`maxSteps="${rawMax}" is not a whole number ≥ 1; the run goes to its total steps.`);
  }
  return { autostart, maxSteps, warnings };
}

/** The query string for `config`, keeping the app parameters present in `currentSearch`. Pure. */
export function buildSearch(config: RunConfig, currentSearch: string): string {
  const current = new URLSearchParams(currentSearch.startsWith('?') ? currentSearch.slice(1) : currentSearch);
  const next = new URLSearchParams(encodeConfig(config));
  for (const key of RESERVED_KEYS) {
    const v = current.get(key);
    if (v !== null) next.set(key, v);
  }
  const s = next.toString();
  return s ? `?${s}` : '';
}

/** Loads the URL config into the store once and mirrors later config changes into the URL.
 * Returns the app parameters (`autostart`, `maxSteps`) read from the URL. */
export function useUrlConfig(): UrlRunOptions {
  const store = useAppStoreApi();
  const [initial] = useState(() => {
    const search = window.location.search;
    return { decoded: decodeConfig(search), options: parseRunOptions(search) };
  });

  // Layout effect: the decoded config is in the store before the first paint and before any
  // passive effect (such as autostart) reads it.
  useLayoutEffect(() => {
    const { decoded, options } = initial;
    store.getState().loadConfig(decoded.config, [...decoded.warnings, ...options.warnings]);
    const write = (config: RunConfig): void => {
      const search = buildSearch(config, window.location.search);
      if (search === window.location.search) return;
      const url = `${window.location.pathname}${search}${window.location.hash}`;
      window.history.replaceState(window.history.state, '', url);
    };
    write(store.getState().config); // normalise away invalid or unknown parameters
    return store.subscribe((state, prev) => {
      if (state.config !== prev.config) write(state.config);
    });
  }, [store, initial]);

  return initial.options;
}

/** A shareable link to the current config (without autostart/maxSteps), and a copy action. */
export function useShareLink(): { copy: () => Promise<string> } {
  const store = useAppStoreApi();
  const copy = useCallback(async (): Promise<string> => {
    const encoded = encodeConfig(store.getState().config);
    const url = `${window.location.origin}${window.location.pathname}${encoded ? `?${encoded}` : ''}`;
    if (!navigator.clipboard?.writeText) throw new Error(`Copying is not available here; copy this link by hand: ${url}`);
    await navigator.clipboard.writeText(url);
    return url;
  }, [store]);
  return { copy };
}
