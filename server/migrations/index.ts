import type { Migration } from 'kysely/migration';
import * as platform from './2026-12-01T1400-platform.ts';
import * as voices from './2026-12-01T1500-voices.ts';
import * as open311 from './2026-12-01T1600-open311.ts';
import * as slaScan from './2026-12-01T1620-sla-scan.ts';
import * as notifications from './2026-12-01T1630-notifications.ts';
import * as plans from './2026-12-01T1640-plans.ts';
import * as attachments from './2026-12-01T1700-attachments.ts';
import * as replyTemplates from './2026-12-01T1710-reply-templates.ts';
import * as auditChains from './2026-12-01T1720-audit-chains.ts';
import * as deliveryAdmin from './2026-12-01T1730-delivery-admin.ts';
import * as autoClose from './2026-12-01T1745-auto-close.ts';
import * as caseNumberSequences from './2026-12-01T1750-case-number-sequences.ts';
import * as replyScores from './2026-12-01T1931-reply-scores.ts';
import * as nearDuplicates from './2026-12-01T2100-near-duplicates.ts';
import * as nearDuplicateSites from './2026-12-01T2110-near-duplicate-sites.ts';
import * as messageClassification from './2026-12-01T2110-message-classification.ts';
import * as hotIssues from './2026-12-01T2230-hot-issues.ts';
import * as pairing from './2026-12-01T2300-pairing.ts';
import * as projects from './2026-12-01T2310-projects.ts';
import * as pairingReminders from './2026-12-01T2335-pairing-reminders.ts';
import * as ocdsReleaseVersions from './2026-12-01T2348-ocds-release-versions.ts';
import * as pairingBackgroundRuns from './2026-12-02T0150-pairing-background-runs.ts';
import * as subjectDeliveries from './2026-12-02T0240-subject-deliveries.ts';

/**
 * Every migration, by name. Names are timestamp-prefixed and sort in the order
 * they run; a landed migration is never edited, only followed by a new one.
 */
export const migrations: Record<string, Migration> = {
  '2026-12-01T1400-platform': platform,
  '2026-12-01T1500-voices': voices,
  '2026-12-01T1600-open311': open311,
  '2026-12-01T1620-sla-scan': slaScan,
  '2026-12-01T1630-notifications': notifications,
  '2026-12-01T1640-plans': plans,
  '2026-12-01T1700-attachments': attachments,
  '2026-12-01T1710-reply-templates': replyTemplates,
  '2026-12-01T1720-audit-chains': auditChains,
  '2026-12-01T1730-delivery-admin': deliveryAdmin,
  '2026-12-01T1745-auto-close': autoClose,
  '2026-12-01T1750-case-number-sequences': caseNumberSequences,
  '2026-12-01T1931-reply-scores': replyScores,
  '2026-12-01T2100-near-duplicates': nearDuplicates,
  '2026-12-01T2110-near-duplicate-sites': nearDuplicateSites,
  '2026-12-01T2110-message-classification': messageClassification,
  '2026-12-01T2230-hot-issues': hotIssues,
  '2026-12-01T2300-pairing': pairing,
  '2026-12-01T2310-projects': projects,
  '2026-12-01T2335-pairing-reminders': pairingReminders,
  '2026-12-01T2348-ocds-release-versions': ocdsReleaseVersions,
  '2026-12-02T0150-pairing-background-runs': pairingBackgroundRuns,
  '2026-12-02T0240-subject-deliveries': subjectDeliveries,
};
