import { MergeError, buildReleasePackage, mergeReleases, mergeRulesFor, type JsonRecord, type MergeRules, type OcdsVersion } from '../../../algorithms/ocds-merge/index.ts';
import { SETTINGS_TEMPLATE, SettingsError, createIndicatorRun, readSettings, type FlagExplanation, type IndicatorGroup } from '../../../algorithms/ocds-indicators/index.ts';
import { AppError, accountIdOf, assertAllowed, inTransaction, recordAudit, requireActor, type PlatformDeps, type RequestContext, type Resource } from '../../../platform/index.ts';
import { loadProject } from '../registry/project.service.ts';
import * as projects from '../registry/project.repository.ts';
import { explainFlag } from './flag-explanation.ts';
import { figuresOf, paidOverContract, partyNames } from './process-figures.ts';
import type { FlagSubjectKind } from './procurement.table.ts';
import * as repository from './procurement.repository.ts';
import { ReleaseSourceError, identityOf, readReleases, type SourcedRelease } from './release-source.ts';

/**
 * Procurement in the product (采购监督): OCDS releases imported into the
 * database idempotently (a release is stored once per ocid and release id, so
 * re-importing adds nothing and an interrupted import is resumed by running
 * it again), the compiled release of each process recompiled with the OCDS
 * merge whenever new releases arrive, processes linked to projects, a
 * project's procurement exported as a release package, and the red-flag
 * indicators run over the city's compiled releases with the city's versioned
 * settings, their flags stored with plain-words explanations.
 */

export type { FlagLeader, ProcessSummary, SettingsVersion, StoredFlag } from './procurement.repository.ts';

/** How many releases are written per transaction during an import. */
const BATCH = 500;

const invalid = (path: string, message: string): AppError => new AppError('validation_failed', message, { errors: [{ path, message }] });

/** Where the policy places a process: its project, or the city when it has none. */
const processResource = (process: repository.ProcessSummary, regionId: number): Resource =>
  process.project ? { kind: 'project', id: process.projectId!, path: process.project.path, departmentId: process.project.departmentId, coDepartmentIds: process.project.coDepartmentIds } : { kind: 'region', path: `/${regionId}/` };

export interface ImportReport {
  readonly importId: number;
  readonly releasesRead: number;
  readonly releasesAdded: number;
  readonly processesCompiled: number;
  readonly flags: number;
  readonly warnings: string[];
}

export interface ImportProgress {
  readonly releasesRead: number;
  readonly releasesAdded: number;
}

/**
 * What an import reads: releases with their place and OCDS version, a note
 * about something skipped (an invalid JSON line), or the settled version of
 * a streamed package whose releases came before its `version`.
 */
export type ImportItem = SourcedRelease | { readonly warning: string } | { readonly packageVersion: OcdsVersion };

type ReleaseKey = { ocid: string; id: string };
type ReleaseRow = ReleaseKey & { date: string; data: Record<string, unknown>; schemaVersion: OcdsVersion | null };

/** The releases of an OCDS text taken by the API (packages, records, releases, JSON Lines). */
export function* releasesOfText(text: string): Generator<ImportItem> {
  yield* readReleases(text);
}

/**
 * Imports OCDS releases (from `releasesOfText` or the CLI's streamed file
 * reader). Every release needs ocid, id and date; the first one without them
 * stops the import with `import_invalid` naming its place and field (what was
 * stored before stays, and a re-run skips it). Then the processes that gained
 * releases are recompiled, all the input's processes are linked to
 * `projectId` when given, and the city's flags are recomputed.
 */
export async function importOcds(
  deps: PlatformDeps,
  context: RequestContext,
  input: { name: string; sha256: string; items: Iterable<ImportItem>; projectId?: number | undefined },
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.import', { kind: 'city' });
  if (input.projectId !== undefined && !(await projects.findProject(deps.db, context.regionId, input.projectId))) throw invalid('projectId', `Project ${input.projectId} does not exist`);
  const now = deps.clock();
  const { sha256 } = input;
  const importId = await inTransaction(deps.db, async (trx) => {
    const id = await repository.startImport(trx, context.regionId, { name: input.name, sha256, projectId: input.projectId ?? null }, accountIdOf(actor), now);
    await recordAudit(trx, context, { action: 'procurement.import', resourceType: 'ocds_import', resourceId: id, details: { name: input.name, sha256, projectId: input.projectId ?? null } }, now);
    return id;
  });
  let read = 0;
  let added = 0;
  const touched = new Set<string>();
  const seen = new Set<string>();
  const skipped: string[] = [];
  /** Releases whose version the input settles later: a streamed package's (by its `version`), and releases outside packages without `parties` (by the whole input). */
  let pending: ReleaseKey[] = [];
  const unsure: ReleaseKey[] = [];
  let inputHas11 = false;
  const flush = async (batch: ReleaseRow[]) => {
    if (batch.length === 0) return;
    const stored = await inTransaction(deps.db, (trx) => repository.insertReleases(trx, context.regionId, importId, batch));
    added += stored.added;
    for (const ocid of stored.ocids) touched.add(ocid);
    onProgress?.({ releasesRead: read, releasesAdded: added });
  };
  try {
    let batch: ReleaseRow[] = [];
    for (const item of input.items) {
      if ('warning' in item) {
        skipped.push(item.warning);
        continue;
      }
      if ('packageVersion' in item) {
        await flush(batch);
        batch = [];
        await repository.settleReleaseVersions(deps.db, context.regionId, pending, item.packageVersion);
        pending = [];
        if (item.packageVersion === '1.1') inputHas11 = true;
        continue;
      }
      const identity = identityOf(item);
      read += 1;
      seen.add(identity.ocid);
      const settled = item.version === '1.0' || item.version === '1.1' ? item.version : null;
      if (item.version === 'pending') pending.push(identity);
      else if (item.version === 'unsure') unsure.push(identity);
      else if (item.version === '1.1') inputHas11 = true;
      batch.push({ ...identity, data: item.release, schemaVersion: settled });
      if (batch.length >= BATCH) {
        await flush(batch);
        batch = [];
      }
    }
    await flush(batch);
    await repository.settleReleaseVersions(deps.db, context.regionId, pending, '1.0');
    await repository.settleReleaseVersions(deps.db, context.regionId, unsure, inputHas11 ? '1.1' : '1.0');
  } catch (error) {
    const message = error instanceof ReleaseSourceError ? error.message : error instanceof AppError && error.code === 'validation_failed' ? error.message : undefined;
    if (message === undefined) throw error;
    await repository.finishImport(deps.db, context.regionId, importId, { status: 'failed', releasesRead: read, releasesAdded: added, error: message }, deps.clock());
    throw new AppError('import_invalid', message.startsWith(input.name) ? message : `${input.name}: ${message}`, { importId, releasesRead: read, releasesAdded: added });
  }
  const warnings = [...skipped, ...(await recompile(deps, context.regionId, [...touched]))];
  if (input.projectId !== undefined) {
    const projectId = input.projectId;
    await inTransaction(deps.db, async (trx) => {
      for (const ocid of seen) await repository.linkProcess(trx, context.regionId, ocid, projectId, now);
    });
  }
  const flags = touched.size > 0 ? await recomputeFlags(deps, context.regionId) : await repository.countFlags(deps.db, context.regionId);
  await repository.finishImport(deps.db, context.regionId, importId, { status: 'done', releasesRead: read, releasesAdded: added, error: null }, deps.clock());
  return { importId, releasesRead: read, releasesAdded: added, processesCompiled: touched.size, flags, warnings };
}

/**
 * Recompiles the processes `ocids` from all their stored releases, with the
 * merge rules of the OCDS version the releases came in, and stores each
 * compiled release with its figures. A process whose releases cannot be
 * merged — a merge error, releases of both 1.0 and 1.1 (which `ocds compile`
 * refuses too), or a release whose version an interrupted import never
 * settled — keeps its previous compiled release and is reported as a warning.
 */
export async function recompile(deps: PlatformDeps, regionId: number, ocids: readonly string[]): Promise<string[]> {
  const warnings: string[] = [];
  const rulesOf: Record<OcdsVersion, MergeRules> = { '1.0': mergeRulesFor('1.0'), '1.1': mergeRulesFor('1.1') };
  const sorted = [...ocids].sort();
  for (let start = 0; start < sorted.length; start += 200) {
    const part = sorted.slice(start, start + 200);
    const releasesOf = await repository.listReleasesOf(deps.db, regionId, part);
    const compiledProcesses: { ocid: string; compiled: JsonRecord; releaseCount: number; figures: ReturnType<typeof figuresOf> }[] = [];
    for (const ocid of part) {
      const releases = releasesOf.get(ocid) ?? [];
      const versions = new Set(releases.map((release) => release.schemaVersion));
      if (versions.has(null)) {
        warnings.push(`${ocid}: not compiled: some of its releases have no settled OCDS version (their import was interrupted; import that file again)`);
        continue;
      }
      if (versions.size > 1) {
        warnings.push(`${ocid}: not compiled: its releases mix OCDS 1.0 and 1.1 data, which merge by different rules (upgrade the 1.0 data to 1.1 and import it again)`);
        continue;
      }
      const rules = rulesOf[releases[0]?.schemaVersion ?? '1.1'];
      try {
        const compiled = mergeReleases(releases.map((release) => release.data), { rules, onWarning: (message) => warnings.push(`${ocid}: ${message}`) });
        compiledProcesses.push({ ocid, compiled, releaseCount: releases.length, figures: figuresOf(compiled) });
      } catch (error) {
        if (!(error instanceof MergeError)) throw error;
        warnings.push(`${ocid}: not compiled: ${error.message}`);
      }
    }
    await repository.upsertProcesses(deps.db, regionId, compiledProcesses, deps.clock());
  }
  return warnings;
}

const SUBJECT_OF: Record<IndicatorGroup, FlagSubjectKind> = { OCID: 'process', Buyer: 'buyer', ProcuringEntity: 'procuring_entity', Tenderer: 'tenderer' };

/** The settings the city's indicators run with: its latest version, or every indicator at its default. */
async function currentSettings(deps: PlatformDeps, regionId: number): Promise<{ text: string; version: number | null }> {
  const latest = await repository.latestSettings(deps.db, regionId);
  return latest ? { text: latest.settings, version: latest.version } : { text: SETTINGS_TEMPLATE, version: null };
}

/**
 * Runs the indicators over every compiled release of the city (streamed a
 * page at a time; the run keeps only the state the indicators need) plus the
 * product's own check that payments do not exceed contracts, and makes the
 * stored flags equal the result. Called after each import that added
 * releases and after each settings change. Returns the number of flags.
 */
export async function recomputeFlags(deps: PlatformDeps, regionId: number): Promise<number> {
  const settings = await currentSettings(deps, regionId);
  const run = createIndicatorRun(readSettings(settings.text), { explain: true });
  const names = new Map<string, string>();
  const processBuyers = new Map<string, string | null>();
  const overpaid: repository.FlagInput[] = [];
  for await (const compiled of repository.streamCompiled(deps.db, regionId)) {
    run.add(compiled);
    for (const [id, name] of partyNames(compiled)) if (!names.has(id)) names.set(id, name);
    const figures = figuresOf(compiled);
    const ocid = String(compiled.ocid);
    processBuyers.set(ocid, figures.buyerName);
    if (paidOverContract(figures)) {
      overpaid.push({
        ocid,
        indicator: 'PAY',
        subjectKind: 'process',
        subjectId: ocid,
        subjectName: figures.buyerName,
        value: figures.paidAmount,
        threshold: figures.contractAmount,
        peers: {},
      });
    }
  }
  const result = run.finish();
  const flags: repository.FlagInput[] = result.explanations.map((explanation: FlagExplanation) => {
    const subjectKind = SUBJECT_OF[explanation.group];
    const ocid = explanation.group === 'OCID' ? explanation.id : typeof explanation.details?.ocid === 'string' ? explanation.details.ocid : '';
    const peers: Record<string, unknown> = { ...(explanation.peers ?? {}), ...(explanation.details ?? {}), measure: explanation.measure };
    if (explanation.rule) Object.assign(peers, { comparison: explanation.rule.comparison, thresholdSource: explanation.rule.source });
    return {
      ocid,
      indicator: explanation.code,
      subjectKind,
      subjectId: explanation.id,
      subjectName: subjectKind === 'process' ? (processBuyers.get(explanation.id) ?? null) : (names.get(explanation.id) ?? null),
      value: Number.isFinite(explanation.measured) ? explanation.measured : null,
      threshold: explanation.rule?.threshold ?? null,
      peers,
    };
  });
  return inTransaction(deps.db, (trx) => repository.replaceFlags(trx, regionId, [...flags, ...overpaid], settings.version, deps.clock()));
}

const withExplanation = (flag: repository.StoredFlag) => ({ ...flag, explanation: explainFlag(flag) });

/** Processes the reader may see (auditors, coordinators and admins in scope: all or their scope's; handlers: their projects'). */
export async function listProcurement(deps: PlatformDeps, context: RequestContext, query: { projectId?: number | undefined; flagged?: boolean | undefined; limit: number; offset: number }): Promise<{ items: repository.ProcessSummary[]; total: number }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.read');
  if (query.projectId !== undefined) await loadProject(deps.db, context, actor, 'procurement.read', query.projectId);
  const scope = actor.role === 'handler' ? { departmentId: actor.departmentId ?? -1 } : { scopePath: actor.scopePath };
  return repository.listProcesses(deps.db, context.regionId, { ...scope, ...(query.projectId !== undefined && { projectId: query.projectId }), ...(query.flagged !== undefined && { flagged: query.flagged }), limit: query.limit, offset: query.offset });
}

/** One process: its figures, compiled release, releases and flags with explanations. */
export async function getProcurement(deps: PlatformDeps, context: RequestContext, ocid: string) {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.read');
  const process = await repository.findProcess(deps.db, context.regionId, ocid);
  if (!process) throw new AppError('not_found', `Procurement ${ocid} does not exist`);
  assertAllowed(actor, 'procurement.read', processResource(process, context.regionId));
  const compiled = (await repository.findCompiled(deps.db, context.regionId, ocid)) ?? {};
  const releases = (await repository.listReleases(deps.db, context.regionId, ocid)).map((release) => ({ id: release.id, date: release.date, tag: Array.isArray(release.data.tag) ? release.data.tag.map(String) : [] }));
  const flags = (await repository.listFlags(deps.db, context.regionId, [ocid])).map(withExplanation);
  return { process, compiled, releases, flags };
}

/** Links a process to a project, or unlinks it (null). Coordinators and admins who manage the project. */
export async function linkProcurement(deps: PlatformDeps, context: RequestContext, ocid: string, projectId: number | null): Promise<repository.ProcessSummary> {
  const actor = requireActor(context);
  assertAllowed(actor, 'project.manage');
  const now = deps.clock();
  return inTransaction(deps.db, async (trx) => {
    const process = await repository.findProcess(trx, context.regionId, ocid);
    if (!process) throw new AppError('not_found', `Procurement ${ocid} does not exist`);
    if (process.projectId !== null) await loadProject(trx, context, actor, 'project.manage', process.projectId);
    if (projectId !== null) await loadProject(trx, context, actor, 'project.manage', projectId);
    await repository.linkProcess(trx, context.regionId, ocid, projectId, now);
    await recordAudit(trx, context, { action: 'procurement.link', resourceType: 'project', resourceId: projectId ?? process.projectId ?? 0, details: { ocid, projectId } }, now);
    return (await repository.findProcess(trx, context.regionId, ocid))!;
  });
}

/**
 * A project's procurement as an OCDS 1.1 release package: every stored
 * release of its linked processes (in ocid, then date order), or with
 * `compiled` their compiled releases.
 */
export async function exportProjectProcurement(deps: PlatformDeps, context: RequestContext, projectId: number, options: { uri: string; publisher: string; compiled?: boolean }) {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.read');
  await loadProject(deps.db, context, actor, 'procurement.read', projectId);
  let releases: Record<string, unknown>[];
  if (options.compiled) {
    const ocids = await repository.linkedOcids(deps.db, context.regionId, projectId);
    releases = [];
    for (const ocid of ocids) {
      const compiled = await repository.findCompiled(deps.db, context.regionId, ocid);
      if (compiled) releases.push(compiled);
    }
  } else {
    releases = await repository.listProjectReleases(deps.db, context.regionId, projectId);
  }
  return buildReleasePackage(releases, { uri: options.uri, publishedDate: deps.clock().toISOString(), publisher: { name: options.publisher } });
}

/** Buyers and suppliers with the most flags (auditors, and coordinators and admins city-wide). */
export async function listFlagLeaders(deps: PlatformDeps, context: RequestContext, limit = 20): Promise<{ buyers: repository.FlagLeader[]; suppliers: repository.FlagLeader[] }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.read', { kind: 'city' });
  return { buyers: await repository.topFlagged(deps.db, context.regionId, 'buyers', limit), suppliers: await repository.topFlagged(deps.db, context.regionId, 'suppliers', limit) };
}

export async function listIndicatorSettings(deps: PlatformDeps, context: RequestContext): Promise<repository.SettingsVersion[]> {
  const actor = requireActor(context);
  assertAllowed(actor, 'procurement.read', { kind: 'city' });
  const versions = await repository.listSettings(deps.db, context.regionId);
  return versions.length > 0 ? versions : [{ version: 0, settings: SETTINGS_TEMPLATE, note: 'default: every indicator at its default threshold', createdAt: new Date(0), createdBy: null }];
}

/**
 * Saves a new settings version (city-wide auditors) after checking it reads
 * as indicator settings (unknown sections or keys, bad numbers: 422 naming
 * the problem), then recomputes the city's flags with it.
 */
export async function saveIndicatorSettings(deps: PlatformDeps, context: RequestContext, input: { settings: string; note?: string | undefined }): Promise<{ version: number; flags: number }> {
  const actor = requireActor(context);
  assertAllowed(actor, 'indicator_settings.manage', { kind: 'city' });
  try {
    readSettings(input.settings);
  } catch (error) {
    if (error instanceof SettingsError) throw invalid('settings', error.message);
    throw error;
  }
  const now = deps.clock();
  const version = await inTransaction(deps.db, async (trx) => {
    const saved = await repository.insertSettings(trx, context.regionId, input.settings, input.note ?? '', accountIdOf(actor), now);
    await recordAudit(trx, context, { action: 'indicator_settings.save', resourceType: 'indicator_settings', resourceId: saved, details: { note: input.note ?? '' } }, now);
    return saved;
  });
  return { version, flags: await recomputeFlags(deps, context.regionId) };
}

export { withExplanation };
