import { assertAllowed, AppError, inTransaction, recordAudit, type PlatformDeps, type RequestContext } from '../../../platform/index.ts';
import { listCategoryLabels } from './category-label.repository.ts';

const PAGE = 1_000;

/**
 * The city's coordinator labels as training lines for `minxin train`
 * (`{"id","title","body","label","path"}`, label = the level-1 category),
 * oldest message first, streamed page by page. Message texts are what
 * citizens wrote, so only a city administrator may take them out, and the
 * export is audited.
 */
export async function* exportCategoryLabels(deps: PlatformDeps, context: RequestContext): AsyncGenerator<string> {
  if (!context.actor) throw new AppError('unauthenticated', 'Sign in first');
  assertAllowed(context.actor, 'category_labels.export', { kind: 'city' });
  await inTransaction(deps.db, (trx) => recordAudit(trx, context, { action: 'category_labels.export', resourceType: 'city', resourceId: context.regionId }, deps.clock()));
  let after = 0;
  for (;;) {
    const page = await listCategoryLabels(deps.db, context.regionId, after, PAGE);
    for (const label of page) {
      const path = label.categoryPath.split('/');
      yield `${JSON.stringify({ id: label.messageId, title: label.title, body: label.body, label: path[0], path })}\n`;
    }
    if (page.length < PAGE) return;
    after = page.at(-1)!.messageId;
  }
}
