/**
 * Procurement oversight over OCDS compiled releases (开放合同数据监督): the
 * behaviour of the reference tool `ocdscardinal` (`coverage`, `prepare`,
 * `indicators`, `init`) as specified in the OCDS oversight spec, in pure
 * TypeScript without I/O. The caller reads bytes and feeds them through
 * `JsonLineSplitter` → `parseJsonLine` → the command's function. Method and
 * flag explanations: docs/ocds.md.
 *
 * @example
 * const settings = readSettings(iniText);            // throws SettingsError
 * const run = createIndicatorRun(settings);
 * const splitter = new JsonLineSplitter();
 * for (const chunk of chunks) for (const raw of splitter.push(chunk)) {
 *   const line = parseJsonLine(raw, JSON.parse);
 *   if ('value' in line) run.add(line.value); else if (line.warning) log(line.warning);
 * }
 * const result = run.finish();
 * result.explanations; // why each flag was raised
 */
export { JsonLineSplitter, parseJsonLine, type ParsedLine, type RawLine } from './json-lines.ts';
export { JsonNumber, JsonSyntaxError, MAX_JSON_DEPTH, isJsonObject, parseOrderedJson, removeKey, stringifyOrderedJson, type JsonObject, type JsonValue } from './json-value.ts';
export { DEFAULT_SETTINGS, SettingsError, readSettings, splitPipeList, type FenceSettings, type OcdsSettings } from './settings.ts';
export { SETTINGS_TEMPLATE } from './init-template.ts';
export { CoverageCounter, formatCoverage } from './coverage.ts';
export { AWARD_STATUS_CODES, BID_STATUS_CODES, compareCodePoints, formatProblemRow, prepareRelease, type ProblemRow } from './prepare.ts';
export {
  INDICATOR_CODES,
  INDICATOR_GROUPS,
  INDICATOR_TITLES,
  createIndicatorRun,
  indicatorCounts,
  indicatorOutput,
  parseRfc3339,
  runIndicators,
  type FlagExplanation,
  type IndicatorCode,
  type IndicatorGroup,
  type IndicatorMaps,
  type IndicatorResult,
  type IndicatorRun,
  type IndicatorRunOptions,
} from './indicators.ts';
export { formatNumber, fusedMultiplyAdd, lowerFence, quantile, roundMeta, stringifyWithRustNumbers, upperFence } from './statistics.ts';
