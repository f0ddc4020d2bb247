import { inTransaction, startIntervalJob, type IntervalJob, type PlatformDeps } from '../../../platform/index.ts';
import { notifyUser } from '../../voices/index.ts';
import * as repository from './reminder.repository.ts';

/**
 * Reminders to cadres (结对帮扶提醒, docs/pairing.md): every
 * `PAIRING_REMINDER_INTERVAL_SECONDS` the job finds cadres whose paired
 * households have waited more than `PAIRING_VISIT_DAYS` for a visit, or whose
 * needs found on visits are unanswered after `PAIRING_NEED_DAYS`, and puts one
 * notification in each one's bell — at most once per cadre and week — and,
 * when SMTP is configured and the cadre's account has an address, the same
 * text as an e-mail through the dispatcher's delivery outbox. The text holds
 * counts only: no household code, name, phone or address.
 */

const DAY_MS = 86_400_000;

/** What one run did. */
export interface ReminderRunReport {
  readonly cities: number;
  /** Cadres with waiting work not yet reminded this week, and those reminded now. */
  readonly behind: number;
  readonly reminded: number;
}

/** Monday 00:00 China Standard Time of the week of `now`: a reminder's period. */
export function reminderWeekOf(now: Date): Date {
  const china = new Date(now.getTime() + 8 * 3_600_000);
  const sinceMonday = (china.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate() - sinceMonday) - 8 * 3_600_000);
}

/** The reminder's texts: counts and the thresholds, nothing that identifies a household. */
export function reminderTexts(facts: { overdueHouseholds: number; openNeeds: number; visitDays: number; needDays: number }) {
  const { overdueHouseholds: overdue, openNeeds: needs, visitDays, needDays } = facts;
  const zh = [overdue > 0 ? `${overdue} 户结对帮扶户超过 ${visitDays} 天未走访` : '', needs > 0 ? `${needs} 项走访需求超过 ${needDays} 天未答复` : ''].filter(Boolean);
  const en = [
    overdue > 0 ? `${overdue} paired household${overdue === 1 ? ' has' : 's have'} not been visited for over ${visitDays} days` : '',
    needs > 0 ? `${needs} need${needs === 1 ? '' : 's'} found on visits ${needs === 1 ? 'has' : 'have'} had no answer for over ${needDays} days` : '',
  ].filter(Boolean);
  return {
    titleZh: overdue > 0 ? `结对帮扶提醒：${overdue} 户待走访` : `结对帮扶提醒：${needs} 项需求待答复`,
    titleEn: overdue > 0 ? `Pairing reminder: ${overdue} household${overdue === 1 ? '' : 's'} to visit` : `Pairing reminder: ${needs} need${needs === 1 ? '' : 's'} unanswered`,
    bodyZh: `您有 ${zh.join('，')}。请到“我的帮扶户”查看。`,
    bodyEn: `${en.join('; ')}. See "My households".`.replace(/^./, (first) => first.toUpperCase()),
  };
}

/**
 * Reminds every cadre behind in each city (or one city): a `pairing_reminders`
 * row and a notification in one transaction per cadre. Idempotent within a
 * week: a cadre reminded this week is passed over, also when two servers run
 * at once (the row's unique key decides).
 */
export async function remindCadres(deps: PlatformDeps, options: { regionId?: number; now: Date }): Promise<ReminderRunReport> {
  const cities = options.regionId === undefined ? await repository.listCityIds(deps.db) : [options.regionId];
  const { pairingVisitDays: visitDays, pairingNeedDays: needDays } = deps.config;
  const since = new Date(options.now.getTime() - visitDays * DAY_MS).toISOString().slice(0, 10);
  const needsBefore = new Date(options.now.getTime() - needDays * DAY_MS);
  const periodStart = reminderWeekOf(options.now);
  let behind = 0;
  let reminded = 0;
  for (const regionId of cities) {
    const cadres = await repository.listCadresBehind(deps.db, regionId, since, needsBefore, periodStart);
    behind += cadres.length;
    for (const cadre of cadres) {
      const told = await inTransaction(deps.db, async (trx) => {
        const reminderId = await repository.insertReminder(trx, regionId, { cadreId: cadre.cadreId, periodStart, overdueHouseholds: cadre.overdueHouseholds, openNeeds: cadre.openNeeds, createdAt: options.now });
        if (reminderId === undefined) return false;
        return notifyUser(
          trx,
          regionId,
          {
            userId: cadre.userId,
            subject: `pairing_reminder:${reminderId}`,
            kind: 'pairing_reminder',
            template: 'pairing.reminder',
            params: { overdue: String(cadre.overdueHouseholds), needs: String(cadre.openNeeds), visitDays: String(visitDays), needDays: String(needDays) },
            texts: reminderTexts({ overdueHouseholds: cadre.overdueHouseholds, openNeeds: cadre.openNeeds, visitDays, needDays }),
            // Mailed too when the cadre's account has an address, sent by the notification dispatcher (counts only).
            email: deps.config.smtp !== undefined,
          },
          options.now,
        );
      });
      if (told) reminded += 1;
    }
  }
  return { cities: cities.length, behind, reminded };
}

/** Runs `remindCadres` now and every `intervalSeconds` while the server runs; `stop` waits for a run in progress. */
export function startPairingReminderJob(deps: PlatformDeps, intervalSeconds: number): IntervalJob {
  return startIntervalJob(deps.logger, 'pairing reminders', intervalSeconds, async () => {
    const report = await remindCadres(deps, { now: deps.clock() });
    if (report.reminded > 0) deps.logger.info(report, 'pairing reminders: cadres reminded of households waiting for a visit');
    return report;
  });
}
