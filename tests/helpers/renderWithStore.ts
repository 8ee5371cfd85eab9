// Component markup in Node (react-dom/server, no DOM) under an app store, for the ui tests.
import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AppStore } from '../../src/ui/store/appStore';
import { AppStoreContext } from '../../src/ui/store/useAppStore';

/**
 * `element` rendered to static HTML inside an AppStoreContext of `store`. Server rendering reads
 * zustand's *initial* state (getServerSnapshot), so the provider gets a view of `store` whose
 * initial state is its current one.
 */
export function renderWithStore(store: AppStore, element: ReactElement): string {
  const current: AppStore = { ...store, getInitialState: () => store.getState() };
  return renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: current }, element));
}

/** How many times `re` (a global RegExp) matches in `html`. */
export function countMatches(html: string, re: RegExp): number {
  return (html.match(re) ?? []).length;
}

/** The text of `html`: every tag removed. */
export function markupText(html: string): string {
  return html.replace(/<[^>]+>/g, '');
}
