import { Card, Flex, Progress, Tag, Typography } from 'antd';
import type { ReplyCueView, ReplyQualityView } from '../../../contracts/reply-quality.ts';
import { formatDateTime } from '../../components/format.ts';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

const DIMENSIONS = ['relevance', 'completeness', 'explainability', 'timeliness'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** The five elements completeness looks for: those that did not fire are named as missing. */
const ELEMENTS = ['who', 'what', 'when', 'how', 'result'] as const;

/** Cues shown as warnings rather than as plain facts. */
const WARNINGS = new Set<ReplyCueView['code']>(['acknowledgement_only', 'forwarded_only', 'not_our_remit', 'late']);

const percent = (score: number): number => Math.round(score * 100);

/** One cue in words: a count, a count of a total, or a share as a percentage. */
export function cueLabel(t: Translate, cue: ReplyCueView): string {
  return t(`voices.quality.cue.${cue.code}` as MessageKey, {
    count: cue.count ?? '',
    total: cue.total ?? '',
    share: cue.share === undefined ? '' : `${Math.round(cue.share * 100)}%`,
  });
}

function DimensionRow({ dimension, reply }: { dimension: Dimension; reply: ReplyQualityView }) {
  const { t } = useI18n();
  const score = reply[dimension];
  const name = t(`voices.quality.${dimension}`);
  const cues = (score?.cues ?? []).filter((cue) => cue.code !== 'substance');
  const missing = dimension === 'completeness' ? ELEMENTS.filter((element) => !cues.some((cue) => cue.code === element)) : [];
  return (
    <div data-dimension={dimension}>
      <Flex justify="space-between" align="baseline" gap={8}>
        <Typography.Text strong>{name}</Typography.Text>
        {score === null && <Typography.Text type="secondary">{t('voices.quality.noTimeliness')}</Typography.Text>}
      </Flex>
      {score !== null && (
        <Progress percent={percent(score.score)} size="small" style={{ marginBottom: 0 }} aria-label={name} data-score={score.score} />
      )}
      <Flex wrap gap={4}>
        {cues.map((cue) => (
          <Tag key={cue.code} color={WARNINGS.has(cue.code) ? 'warning' : undefined} data-cue={cue.code}>
            {cueLabel(t, cue)}
          </Tag>
        ))}
        {missing.length > 0 && cues.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('voices.quality.missing', { items: missing.map((element) => t(`voices.quality.cue.${element}`)).join('、') })}
          </Typography.Text>
        )}
      </Flex>
    </div>
  );
}

/**
 * The automatic quality scores of a case's replies (staff only: the server
 * sends them to staff who read the case), newest reply first, each dimension
 * with the cues that decided it.
 */
export function ReplyQualityCard({ replies }: { replies: readonly ReplyQualityView[] }) {
  const { t, lang } = useI18n();
  if (replies.length === 0) return null;
  return (
    <Card title={<h2 className="card-heading">{t('voices.quality.title')}</h2>} data-testid="reply-quality">
      <Flex vertical gap={20}>
        {[...replies].reverse().map((reply) => (
          <section key={reply.version} aria-label={t('voices.quality.reply', { round: reply.round, at: formatDateTime(lang, reply.repliedAt) })}>
            <Flex wrap gap={16} align="center" style={{ marginBottom: 8 }}>
              <Progress type="circle" percent={percent(reply.overall)} size={64} aria-label={t('voices.quality.overall')} data-score={reply.overall} />
              <Flex vertical gap={2}>
                <Typography.Text strong>{t('voices.quality.reply', { round: reply.round, at: formatDateTime(lang, reply.repliedAt) })}</Typography.Text>
                {reply.delay && (
                  <Typography.Text type="secondary">
                    {t(`voices.quality.delay.${reply.delay.unit}`, { elapsed: Math.round(reply.delay.elapsed * 10) / 10, limit: Math.round(reply.delay.limit * 10) / 10 })}
                  </Typography.Text>
                )}
              </Flex>
            </Flex>
            <Flex vertical gap={10}>
              {DIMENSIONS.map((dimension) => (
                <DimensionRow key={dimension} dimension={dimension} reply={reply} />
              ))}
            </Flex>
          </section>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('voices.quality.note', { method: replies.at(-1)!.method })}
        </Typography.Text>
      </Flex>
    </Card>
  );
}
