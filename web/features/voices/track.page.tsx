import { App, Button, Card, Descriptions, Flex, Form, Input, Radio, Result, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { trackingRatingSchema } from '../../../contracts/voices.ts';
import { ApiError } from '../../api/client.ts';
import { listTrackingNotifications } from '../../api/notifications.ts';
import { useVisiblePolling } from '../../api/use-polling.ts';
import { useRemote } from '../../api/use-remote.ts';
import { rateTrackedCase, trackCase, type TrackedCaseView } from '../../api/voices.ts';
import { formatDateTime } from '../../components/format.ts';
import { NotificationList } from '../../components/notification-bell.tsx';
import { zodRule } from '../../components/form-validation.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { TrackedAdoptions } from './case-plan.tsx';
import { trackedPhotoUrl } from '../../api/photos.ts';
import { PhotoGallery } from './photos.tsx';
import { CaseTimeline, PlainText, SCORES, StateTag, ratingLabel } from './voices-ui.tsx';

/** /track: enter a tracking code. */
export function TrackLookupPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Card>
      <PageHeading title={t('voices.track.title')} />
      <Typography.Paragraph>{t('voices.track.intro')}</Typography.Paragraph>
      <Form<{ code?: string }>
        name="track-lookup"
        layout="vertical"
        onFinish={({ code }) => code?.trim() && navigate(`/track/${encodeURIComponent(code.trim())}`)}
      >
        <Form.Item name="code" label={t('voices.submit.code')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input size="large" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={40} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block>
          {t('voices.track.go')}
        </Button>
      </Form>
    </Card>
  );
}

/** /track/:code: the public view of one message, and the rating form when the requester may rate. */
export function TrackPage() {
  const { t, lang } = useI18n();
  const { code = '' } = useParams();
  const [view, setView] = useState<TrackedCaseView>();
  const remote = useRemote(async (signal) => {
    const found = await trackCase(code, signal);
    setView(found);
    return found;
  }, [code]);
  const tracked = view ?? remote.data;

  if (remote.error?.status === 404) {
    return (
      <Card>
        <Result status="404" title={<h1 style={{ fontSize: 24, margin: 0 }}>{t('voices.track.title')}</h1>} subTitle={t('voices.track.notFound')} />
      </Card>
    );
  }
  if (!tracked) {
    return (
      <Card loading={remote.loading}>
        <PageHeading title={t('voices.track.title')} />
        <ProblemAlert error={remote.error} />
      </Card>
    );
  }
  return (
    <Flex vertical gap={16}>
      <Card>
        <PageHeading title={t('voices.track.caseTitle', { number: tracked.caseNumber })} actions={<StateTag state={tracked.state} />} />
        <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0, overflowWrap: 'anywhere' }}>
          {tracked.title}
        </Typography.Title>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('voices.field.state')}>{t(`voices.state.${tracked.state}`)}</Descriptions.Item>
          <Descriptions.Item label={t('voices.field.kind')}>{t(`voices.kind.${tracked.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('voices.field.category')}>{tracked.categoryPath ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('voices.field.district')}>{tracked.districtName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('voices.field.submittedAt')}>{formatDateTime(lang, tracked.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('voices.field.deadline')}>{formatDateTime(lang, tracked.dueAt)}</Descriptions.Item>
        </Descriptions>
      </Card>
      {tracked.photos.length > 0 && (
        <Card title={<h2 className="card-heading">{t('voices.photos.title')}</h2>}>
          <PhotoGallery photos={tracked.photos} srcOf={(photoId) => trackedPhotoUrl(code, photoId)} />
        </Card>
      )}
      <Card title={<h2 className="card-heading">{t('voices.track.reply')}</h2>}>
        {tracked.reply ? (
          <>
            <PlainText text={tracked.reply.text} />
            <Typography.Text type="secondary">{formatDateTime(lang, tracked.reply.at)}</Typography.Text>
          </>
        ) : (
          <Typography.Text type="secondary">{t('voices.track.noReply')}</Typography.Text>
        )}
      </Card>
      <TrackedAdoptions code={code} />
      <TrackingUpdates code={code} />
      {tracked.mayRate && <RatingForm code={code} tracked={tracked} onRated={setView} />}
      <Card title={<h2 className="card-heading">{t('voices.track.timeline')}</h2>}>
        <CaseTimeline
          entries={tracked.timeline.map((entry, index) => ({ key: index, at: entry.at, event: entry.event, to: entry.to }))}
        />
      </Card>
    </Flex>
  );
}

/** 消息提醒: what the tracking code was told (dispatch, reply, close…), newest first, polled while in view. */
function TrackingUpdates({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const updates = useRemote((signal) => listTrackingNotifications(code, { limit: 20 }, signal), [code]);
  useVisiblePolling(updates.reload);
  const items = updates.data?.items ?? [];
  return (
    <Card
      title={<h2 className="card-heading">{t('voices.track.updates')}</h2>}
      loading={!updates.data && updates.loading}
      data-testid="tracking-updates"
    >
      {updates.error && !updates.data && <ProblemAlert error={updates.error} />}
      {updates.data && items.length === 0 && <Typography.Text type="secondary">{t('voices.track.noUpdates')}</Typography.Text>}
      {items.length > 0 && <NotificationList items={items} lang={lang} showUnread={false} />}
    </Card>
  );
}

interface RatingValues {
  score?: number;
  comment?: string;
}

function RatingForm({ code, tracked, onRated }: { code: string; tracked: TrackedCaseView; onRated: (view: TrackedCaseView) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<RatingValues>();
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);

  const send = async ({ score, comment }: RatingValues) => {
    if (score === undefined) return;
    setSending(true);
    setError(undefined);
    try {
      const trimmed = comment?.trim();
      onRated(await rateTrackedCase(code, { score, comment: trimmed || undefined, version: tracked.version }));
      form.resetFields();
      message.success(t('voices.track.rated'));
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(caught);
      if (caught.status === 409) {
        try {
          onRated(await trackCase(code));
        } catch {
          // The alert already says what went wrong.
        }
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Card title={<h2 className="card-heading">{t('voices.track.rateTitle')}</h2>}>
      <Typography.Paragraph>{t('voices.track.rateIntro')}</Typography.Paragraph>
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      <Form<RatingValues> form={form} name="rate" layout="vertical" onFinish={send}>
        <Form.Item name="score" label={t('voices.field.score')} rules={[{ required: true, message: t('validation.required') }]}>
          <Radio.Group
            options={SCORES.map((score) => ({ value: score, label: `${score} · ${ratingLabel(t, score)}` }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
          />
        </Form.Item>
        <Form.Item name="comment" label={t('voices.field.comment')} rules={[zodRule(trackingRatingSchema.shape.comment, t)]}>
          <Input.TextArea rows={3} showCount maxLength={1000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={sending}>
          {t('voices.track.rateSend')}
        </Button>
      </Form>
    </Card>
  );
}
