import { Tag, Timeline, Typography } from 'antd';
import type { CSSProperties } from 'react';
import type { z } from 'zod';
import { caseStateSchema, type caseKindSchema, type slaSchema } from '../../../contracts/voices.ts';
import { listCategories, type CaseState, type Category } from '../../api/voices.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { isMessageKey, useI18n, type Translate } from '../../i18n/i18n.tsx';

export type CaseKind = z.infer<typeof caseKindSchema>;
export type Sla = z.infer<typeof slaSchema>;

/** The kinds in the order a citizen reads them. */
export const KINDS: readonly CaseKind[] = ['complaint', 'request_for_help', 'consultation', 'suggestion', 'praise'];

/** Every state, in lifecycle order (for filters). */
export const STATES: readonly CaseState[] = caseStateSchema.options;

/** Scores from best to worst, as the rating form lists them. */
export const SCORES = [5, 4, 3, 2, 1] as const;

/** An event's label; an event this version of the app does not know shows its code. */
export function eventLabel(t: Translate, event: string): string {
  const key = `voices.event.${event}`;
  return isMessageKey(key) ? t(key) : event;
}

export const ratingLabel = (t: Translate, score: number): string => {
  const key = `voices.rating.${score}`;
  return isMessageKey(key) ? t(key) : String(score);
};

const STATE_COLOURS: Partial<Record<CaseState, string>> = {
  accepted: 'processing',
  returned: 'warning',
  transfer_requested: 'warning',
  extension_requested: 'warning',
  verifying: 'warning',
  reopened: 'error',
  replied: 'success',
  rated: 'success',
  closed: 'success',
};

/** A case's state as a tag: the text says it, the colour only helps. */
export function StateTag({ state }: { state: CaseState }) {
  const { t } = useI18n();
  return (
    <Tag color={STATE_COLOURS[state]} style={{ marginInlineEnd: 0 }} data-state={state}>
      {t(`voices.state.${state}`)}
    </Tag>
  );
}

const SLA_COLOURS: Record<Sla['state'], string> = {
  on_time: 'success',
  due_soon: 'warning',
  overdue: 'error',
  paused: 'default',
};

/** The deadline countdown: status word plus time left (or over), never colour alone. */
export function SlaTag({ sla }: { sla: Sla | null }) {
  const { t } = useI18n();
  if (!sla) return <Typography.Text type="secondary">{t('voices.sla.none')}</Typography.Text>;
  const n = sla.unit === 'hours' ? Math.round(Math.abs(sla.remaining)) : Math.abs(sla.remaining);
  const amount =
    sla.state === 'paused'
      ? ''
      : sla.remaining < 0
        ? t(sla.unit === 'hours' ? 'voices.sla.hoursOver' : 'voices.sla.daysOver', { n })
        : t(sla.unit === 'hours' ? 'voices.sla.hours' : 'voices.sla.days', { n });
  return (
    <Tag color={SLA_COLOURS[sla.state]} style={{ marginInlineEnd: 0 }} data-sla={sla.state}>
      {t(`voices.sla.${sla.state}`)}
      {amount && ` · ${amount}`}
    </Tag>
  );
}

/** Citizens' and staff's text exactly as typed: line breaks kept, markup shown as characters. */
export function PlainText({ text, style }: { text: string; style?: CSSProperties }) {
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0, ...style }}>
      {text}
    </Typography.Paragraph>
  );
}

export interface CategoryNode {
  value: string;
  label: string;
  children?: CategoryNode[];
}

/** The taxonomy as a tree of cascader options; values are full paths. */
function categoryTree(items: readonly Category[]): CategoryNode[] {
  const nodes = new Map<number, CategoryNode>();
  const roots: CategoryNode[] = [];
  for (const item of items) nodes.set(item.id, { value: item.path, label: item.name });
  for (const item of items) {
    const node = nodes.get(item.id)!;
    const parent = item.parentId === null ? undefined : nodes.get(item.parentId);
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The public taxonomy: flat items (with paths) and the cascader tree. */
export function useCategories() {
  const remote = useRemote((signal) => listCategories(signal), []);
  const items = remote.data ?? [];
  return { items, tree: categoryTree(items), loading: remote.loading, error: remote.error };
}

export interface TimelineItem {
  key: string | number;
  at: string;
  event: string;
  to: CaseState;
  actor?: string;
  reason?: string | null;
}

/** The history of a case, oldest first; reasons shown as text. */
export function CaseTimeline({ entries }: { entries: readonly TimelineItem[] }) {
  const { t, lang } = useI18n();
  return (
    <Timeline
      items={entries.map((entry) => ({
        key: entry.key,
        content: (
          <div>
            <Typography.Text strong>{eventLabel(t, entry.event)}</Typography.Text>{' '}
            <Typography.Text type="secondary">→ {t(`voices.state.${entry.to}`)}</Typography.Text>
            <div>
              <Typography.Text type="secondary">
                {formatDateTime(lang, entry.at)}
                {entry.actor ? ` · ${entry.actor}` : ''}
              </Typography.Text>
            </div>
            {entry.reason && <PlainText text={entry.reason} style={{ marginTop: 4 }} />}
          </div>
        ),
      }))}
    />
  );
}

/** A fresh key for one submission form: a double tap or a retry sends the same key. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
