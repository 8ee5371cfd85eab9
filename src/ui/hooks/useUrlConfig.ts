/**
 * The address bar <-> store bridge: reads `window.location.search` once through the pure URL
 * codec, loads the config (and its warnings) into the store, then keeps the URL in sync with
 * `history.replaceState` whenever the config changes. `autostart=1`, `maxSteps=N` and
 * `classroom=1` are the app's own parameters: they are read here, kept in the URL when they are
 * valid (invalid ones are dropped with a warning, like invalid config values), and left out of
 * share links.
 * This folder is the only place that touches `window.location`. Must not import: tfjs, recharts.
 */
import { parseStepLimit } from '../../core/config/urlStepLimit';
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
  /** `?classroom=1`: the projector view — settings hidden, charts and gallery enlarged. */
  isClassroom: boolean;
  /** Problems with the app parameters themselves (e.g. `maxSteps=abc`). */
  warnings: string[];
}

/** The app's own query parameters; never config fields. */
const RESERVED_KEYS = ['autostart', 'maxSteps', 'classroom'] as const;

/** Reads a 1/0 (or true/false) flag: its value, or a warning naming the refused text. */
function parseFlag(params: URLSearchParams, key: string, fallback: string, warnings: string[]): boolean {
  const raw = params.get(key);
  if (raw === null || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  warnings.push(`${key}="${raw}" is not 1 or 0; ${fallback}.`);
  return false;
}

function toParams(search: string): URLSearchParams {
  return new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
}

/** Parses the app parameters of a query string. Pure; exported for tests. */
export function parseRunOptions(search: string): UrlRunOptions {
  const params = toParams(search);
  const warnings: string[] = [];
  const autostart = parseFlag(params, 'autostart', 'not starting automatically', warnings);
  const rawMax = params.get('maxSteps');
  let maxSteps: number | null = null;
  if (rawMax !== null) {
    // Plain decimals only (no 0x/0b/0o, no Infinity); above the longest run: clamped, with a warning.
    const limit = parseStepLimit(rawMax);
    maxSteps = limit.maxSteps;
    if (limit.warning) warnings.push(limit.warning);
  }
  const isClassroom = parseFlag(params, 'classroom', 'showing the full page', warnings);
  return { autostart, maxSteps, isClassroom, warnings };
}

/** `search` without the app parameters: the part the config codec decodes. Pure. */
export function configSearch(search: string): string {
  const params = toParams(search);
  for (const key of RESERVED_KEYS) params.delete(key);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The query string for `config`, keeping the valid app parameters of `currentSearch` (in the
 * form `autostart=1`, `maxSteps=N`, `classroom=1`) and dropping refused ones. Pure. */
export function buildSearch(config: RunConfig, currentSearch: string): string {
  const options = parseRunOptions(currentSearch);
  const next = new URLSearchParams(encodeConfig(config));
  if (options.autostart) next.set('autostart', '1');
  if (options.maxSteps !== null) next.set('maxSteps', String(options.maxSteps));
  if (options.isClassroom) next.set('classroom', '1');
  const s = next.toString();
  return s ? `?${s}` : '';
}

/** Loads the URL config into the store once and mirrors later config changes into the URL.
 * Returns the app parameters (`autostart`, `maxSteps`, `isClassroom`) read from the URL. */
export function useUrlConfig(): UrlRunOptions {
  const store = useAppStoreApi();
  const [initial] = useState(() => {
    const search = window.location.search;
    return { decoded: decodeConfig(configSearch(search)), options: parseRunOptions(search) };
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

/** Classroom mode: on from `?classroom=1` (`initial`), toggled by the page's link, which also
 * adds or removes `classroom=1` in the address bar so a reload keeps the view. */
export function useClassroomMode(initial: boolean): { isClassroom: boolean; toggle: () => void } {
  const [isClassroom, setIsClassroom] = useState(initial);
  const toggle = useCallback(() => {
    const next = !isClassroom;
    const params = toParams(window.location.search);
    if (next) params.set('classroom', '1');
    else params.delete('classroom');
    const search = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`);
    setIsClassroom(next);
  }, [isClassroom]);
  return { isClassroom, toggle };
}

/** A shareable link to the current config (without the app parameters), and a copy action. */
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
