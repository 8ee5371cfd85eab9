/**
 * URL codec: RunConfig <-> query string. Pure string functions; only ui/hooks touches the browser location.
 *
 * Only values that differ from the defaults are written, keyed by the RunConfig field name.
 * Decoding never throws: unknown keys and invalid values fall back to the default and come back
 * as warnings for the UI to show. Warnings echo at most a shortened value or key, and a link with
 * many bad values gets a bounded list (the first few and a count).
 * Must not import: tfjs, DOM.
 */
import { DEFAULT_CONFIG, type RunConfig } from './runConfig';
import { CONFIG_SCHEMA, checkField, crossFieldIssues } from './schema';
import { quoteText } from './valueText';

/** Encodes the fields of `config` that differ from the defaults, in schema order. */
export function encodeConfig(config: RunConfig): string {
  const parts: string[] = [];
  for (const spec of CONFIG_SCHEMA) {
    const v = config[spec.key];
    if (v !== DEFAULT_CONFIG[spec.key]) parts.push(`${spec.key}=${encodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}

/** Parses `a=1&b=x` into ordered [key, value] pairs ('+' means space, as in forms). */
function parseQuery(query: string): Array<[string, string]> {
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return query.split('&').filter((p) => p.length > 0).map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))];
  });
}

/** Decodes a query string (with or without '?'); invalid or unknown values become warnings. */
export function decodeConfig(search: string): { config: RunConfig; warnings: string[] } {
  const params = parseQuery(search.startsWith('?') ? search.slice(1) : search);
  const config: RunConfig = { ...DEFAULT_CONFIG };
  const warnings: string[] = [];
  for (const [key, raw] of params) {
    const spec = CONFIG_SCHEMA.find((s) => s.key === key);
    if (!spec) {
      if (!IGNORED_PARAMS.has(key)) warnings.push(`Unknown URL setting ${quoteText(key)} was ignored.`);
      continue;
    }
    const r = checkField(spec, raw);
    if (r.issue) {
      // The last occurrence of a key wins, so a bad repeat also resets an earlier good value: the note says the default is used.
      (config as unknown as Record<string, unknown>)[key] = DEFAULT_CONFIG[spec.key];
      warnings.push(`${r.issue.message} Using the default ${String(DEFAULT_CONFIG[spec.key])}.`);
    } else (config as unknown as Record<string, unknown>)[key] = r.value;
  }
  for (const issue of crossFieldIssues(config)) {
    const key = issue.key as keyof RunConfig;
    (config as unknown as Record<string, unknown>)[key] = DEFAULT_CONFIG[key];
    warnings.push(`${issue.message} Using the default ${String(DEFAULT_CONFIG[key])}.`);
  }
  // A reset can itself break a rule (e.g. batch reset to 64 with 16 images): fall back fully.
  if (crossFieldIssues(config).length > 0) {
    return { config: { ...DEFAULT_CONFIG }, warnings: [...boundWarnings(warnings), 'The URL settings contradict each other; all settings were reset to the defaults.'] };
  }
  return { config, warnings: boundWarnings(warnings) };
}

/** Most warnings a link produces; past it the rest are counted in one last line. */
export const MAX_URL_WARNINGS = 12;

/** `warnings` cut to MAX_URL_WARNINGS lines, the last one counting what was left out. */
function boundWarnings(warnings: string[]): string[] {
  if (warnings.length <= MAX_URL_WARNINGS) return warnings;
  const kept = warnings.slice(0, MAX_URL_WARNINGS - 1);
  return [...kept, `…and ${warnings.length - kept.length} more values of this link were not used.`];
}

/** Query parameters that are not config fields but are used by the app (e.g. `autostart`). */
const IGNORED_PARAMS = new Set(['autostart', 'maxSteps', 'classroom']);
