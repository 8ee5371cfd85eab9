/**
 * React access to the app store: a context carrying the vanilla store and thin hooks over
 * zustand's `useStore`. Components never import zustand themselves.
 * Must not import: recharts, tfjs.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppStore } from './appStore';
import type { AppState } from './storeTypes';

/** Provides the store to the component tree (`<AppStoreContext.Provider value={store}>`). */
export const AppStoreContext = createContext<AppStore | null>(null);

/** The store handle itself, for actions and `getState()` in event handlers. */
export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore must be used inside <AppStoreContext.Provider>.');
  return store;
}

/** Subscribes to one value of the store. The selector must return a stable reference (a field,
 * a primitive); use `useAppStoreShallow` for small objects built on the fly. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/** Like `useAppStore`, but re-renders only when a shallow comparison of the result changes. */
export function useAppStoreShallow<T extends object>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), useShallow(selector));
}
