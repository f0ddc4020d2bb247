/**
 * The deadline export (`GET /api/v1/cases/export.csv`, `minxin voices
 * export`): the cases the reader's list would show, as CSV streamed page by
 * page so a city's year (10⁵ rows) never sits in memory.
 */
import {
  AppError,
  assertAllowed,
  findRegionByCode,
  requireActor,
  type PlatformDeps,
  type RequestContext,
} from '../../../platform/index.ts';
import { caseListFilterOf, type CaseListQuery } from './case.service.ts';
import * as repository from './case.repository.ts';
import { UTF8_BOM, csvLine, exportCells, exportHeader, localDate, type ExportLanguage } from './case-export.ts';
import { slaStatusOf } from '../deadlines/sla.ts';

/** Rows read per query: large enough to be quick, small enough to keep memory flat. */
export const EXPORT_PAGE_SIZE = 1000;

/** An export ready to send: its file name and its text, chunk by chunk (the first starts with the BOM). */
export interface CaseExport {
  readonly filename: string;
  readonly chunks: AsyncIterable<string>;
  /** How many cases have been written so far (all of them once `chunks` is consumed). */
  readonly rows: () => number;
}

/**
 * The cases `query` selects in the actor's scope (a handler's department, a
 * coordinator's or auditor's region; the same filters as the list) as CSV:
 * one header, one row per case in case order, times in Asia/Shanghai,
 * deadline figures as of now. Citizens may not export (403). Pages are read
 * one after another as the consumer pulls, each a short query of its own, so
 * a case changed while the file streams is written at most once.
 *
 * @example const { filename, chunks } = await exportCases(deps, context, { overdue: true }, 'zh-CN');
 */
export async function exportCases(
  deps: PlatformDeps,
  context: RequestContext,
  query: CaseListQuery,
  lang: ExportLanguage,
  pageSize = EXPORT_PAGE_SIZE,
): Promise<CaseExport> {
  const actor = requireActor(context);
  assertAllowed(actor, 'case.export');
  const filter = caseListFilterOf(deps, actor, query);
  const city = (await repository.findCityCode(deps.db, context.regionId)) ?? String(context.regionId);
  const now = deps.clock();
  let rows = 0;
  async function* chunks(): AsyncGenerator<string> {
    yield UTF8_BOM + csvLine(exportHeader(lang));
    if (!filter) return;
    let afterId = 0;
    for (;;) {
      const page = await repository.listCasesAfter(deps.db, context.regionId, filter, afterId, pageSize);
      if (page.length === 0) return;
      rows += page.length;
      yield page
        .map((row) =>
          csvLine(exportCells({ ...row, sla: slaStatusOf(row.record.snapshot.state, row.record.deadline, now) }, lang)),
        )
        .join('');
      if (page.length < pageSize) return;
      afterId = page[page.length - 1]!.record.id;
    }
  }
  return { filename: `cases-${city}-${localDate(now)}.csv`, chunks: chunks(), rows: () => rows };
}

/**
 * The context narrowed to one region of the city (`id` or code of a
 * district, street …): what `minxin voices export --region` exports. The
 * actor's scope becomes the region's path; 404 when the city has no such region.
 */
export async function narrowToRegion(
  deps: PlatformDeps,
  context: RequestContext,
  region: string | undefined,
): Promise<RequestContext> {
  if (region === undefined) return context;
  const actor = requireActor(context);
  const found = /^\d+$/.test(region)
    ? await repository.findPlace(deps.db, context.regionId, Number(region))
    : await findRegionByCode(deps.db, context.regionId, region);
  if (!found || !found.path.startsWith(actor.scopePath))
    throw new AppError('not_found', `Region "${region}" is not part of this city`);
  return { ...context, actor: { ...actor, scopePath: found.path } };
}
