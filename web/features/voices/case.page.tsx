import { Alert, Card, Col, Descriptions, Flex, List, Row, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useRemote } from '../../api/use-remote.ts';
import { getCase, type CaseDetailView } from '../../api/voices.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { StatusPage } from '../../components/status-page.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import { casePhotoUrl } from '../../api/photos.ts';
import { CaseActions } from './case-actions.tsx';
import { CasePlanCard } from './case-plan.tsx';
import { PhotoGallery } from './photos.tsx';
import { ReplyQualityCard } from './reply-quality.tsx';
import { useDepartmentNames } from './use-departments.ts';
import { CaseTimeline, PlainText, SlaTag, StateTag, ratingLabel } from './voices-ui.tsx';

/** One case: what was said, where it stands, its history, and what the viewer may do now. */
export function CasePage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const staff = user.role !== 'citizen';
  const params = useParams();
  const id = Number(params.id);
  const departments = useDepartmentNames(staff);
  const [fresh, setFresh] = useState<CaseDetailView>();
  const remote = useRemote(async (signal) => {
    const detail = await getCase(id, signal);
    setFresh(undefined);
    return detail;
  }, [id]);
  const detail = fresh ?? remote.data;

  if (!Number.isInteger(id) || id <= 0 || remote.error?.status === 404) return <StatusPage status={404} />;
  if (remote.error?.status === 403) return <StatusPage status={403} />;
  if (!detail) {
    return (
      <>
        <PageHeading title={t('nav.cases')} />
        <ProblemAlert error={remote.error} />
        <Card loading={remote.loading} />
      </>
    );
  }

  const departmentName = (departmentId: number | null) =>
    departmentId === null ? '—' : (departments.get(departmentId) ?? `#${departmentId}`);
  const backTo = staff ? '/cases' : '/my-messages';

  return (
    <>
      <PageHeading
        title={`${detail.number} ${detail.title}`}
        actions={<Link to={backTo}>{t('voices.case.back')}</Link>}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={15}>
          <Flex vertical gap={16}>
            <Card>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={t('voices.field.state')}>
                  <StateTag state={detail.state} />
                </Descriptions.Item>
                <Descriptions.Item label={t('voices.field.deadline')}>
                  <Flex vertical gap={2}>
                    <SlaTag sla={detail.sla} />
                    {detail.dueAt && <span>{formatDateTime(lang, detail.dueAt)}</span>}
                  </Flex>
                </Descriptions.Item>
                <Descriptions.Item label={t('voices.field.kind')}>{t(`voices.kind.${detail.kind}`)}</Descriptions.Item>
                <Descriptions.Item label={t('voices.field.category')}>{detail.categoryPath ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('voices.field.district')}>{detail.districtName ?? '—'}</Descriptions.Item>
                {staff && (
                  <Descriptions.Item label={t('voices.field.department')}>
                    {detail.departmentName === null
                      ? '—'
                      : localName(lang, { name: detail.departmentName, nameEn: detail.departmentNameEn })}
                  </Descriptions.Item>
                )}
                {staff && detail.coHandlers.length > 0 && (
                  <Descriptions.Item label={t('voices.field.coHandlers')}>
                    {detail.coHandlers.map((department) => localName(lang, department)).join('、')}
                  </Descriptions.Item>
                )}
                <Descriptions.Item label={t('voices.field.round')}>{detail.round}</Descriptions.Item>
                <Descriptions.Item label={t('voices.field.requesterCount')}>{detail.requesterCount}</Descriptions.Item>
                <Descriptions.Item label={t('voices.field.submittedAt')}>
                  {formatDateTime(lang, detail.createdAt)}
                </Descriptions.Item>
              </Descriptions>
              {detail.pendingTransfer && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginTop: 12 }}
                  title={t('voices.case.pendingTransfer', {
                    department: departmentName(detail.pendingTransfer.toDepartmentId),
                    reason: detail.pendingTransfer.reason,
                  })}
                />
              )}
              {detail.pendingExtension && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginTop: 12 }}
                  title={t('voices.case.pendingExtension', {
                    days: detail.pendingExtension.days,
                    reason: detail.pendingExtension.reason,
                  })}
                />
              )}
            </Card>
            <Card title={<h2 className="card-heading">{t('voices.case.actions')}</h2>}>
              <CaseActions detail={detail} staff={staff} onChanged={setFresh} reload={remote.reload} />
            </Card>
            <CasePlanCard detail={detail} user={user} onAdopted={remote.reload} />
            <Card title={<h2 className="card-heading">{t('voices.case.messages')}</h2>}>
              <Flex vertical gap={16}>
                {detail.messages.map((message) => (
                  <article key={message.id} aria-label={message.title}>
                    <Typography.Title level={3} style={{ fontSize: 16, margin: 0, overflowWrap: 'anywhere' }}>
                      {message.title}
                    </Typography.Title>
                    <Typography.Text type="secondary">
                      {formatDateTime(lang, message.submittedAt)} · {t(`voices.kind.${message.kind}`)} · {t(`voices.channel.${message.channel}`)}
                    </Typography.Text>
                    <PlainText text={message.body} style={{ marginTop: 8 }} />
                    {message.suggestion && (
                      <Typography.Text type="secondary" data-testid="message-suggestion" style={{ display: 'block' }}>
                        {t('voices.case.suggestion', {
                          path: message.suggestion.categoryPath,
                          confidence: Math.round(message.suggestion.confidence * 100),
                        })}
                      </Typography.Text>
                    )}
                    <PhotoGallery photos={message.photos} srcOf={(photoId) => casePhotoUrl(detail.id, photoId)} />
                    {message.address && <Typography.Text type="secondary">{message.address}</Typography.Text>}
                    {message.lat !== null && message.lng !== null && (
                      <Typography.Text type="secondary" data-testid="message-pin" style={{ display: 'block' }}>
                        {t('voices.pin.at', { lat: message.lat.toFixed(5), lng: message.lng.toFixed(5) })}
                      </Typography.Text>
                    )}
                    {message.contact !== undefined && (
                      <Descriptions
                        size="small"
                        column={1}
                        style={{ marginTop: 8 }}
                        title={<span style={{ fontSize: 14 }}>{t('voices.case.contact')}</span>}
                      >
                        {message.contact ? (
                          <>
                            <Descriptions.Item label={t('voices.field.contactName')}>{message.contact.name ?? '—'}</Descriptions.Item>
                            <Descriptions.Item label={t('voices.field.contactPhone')}>{message.contact.phone ?? '—'}</Descriptions.Item>
                            <Descriptions.Item label={t('voices.field.contactEmail')}>{message.contact.email ?? '—'}</Descriptions.Item>
                          </>
                        ) : (
                          <Descriptions.Item label={t('voices.field.contactName')}>{t('voices.case.noContact')}</Descriptions.Item>
                        )}
                      </Descriptions>
                    )}
                  </article>
                ))}
              </Flex>
            </Card>
            {detail.reply && (
              <Card title={<h2 className="card-heading">{t('voices.case.reply')}</h2>}>
                <PlainText text={detail.reply.text} />
                <Typography.Text type="secondary">{formatDateTime(lang, detail.reply.at)}</Typography.Text>
              </Card>
            )}
            {detail.replyQuality && <ReplyQualityCard replies={detail.replyQuality} />}
            {detail.ratings.length > 0 && (
              <Card title={<h2 className="card-heading">{t('voices.case.ratings')}</h2>}>
                <List
                  dataSource={detail.ratings}
                  renderItem={(rating) => (
                    <List.Item>
                      <Flex vertical gap={4} style={{ width: '100%' }}>
                        <Flex wrap gap={8} align="center">
                          <Typography.Text strong>
                            {rating.score} · {ratingLabel(t, rating.score)}
                          </Typography.Text>
                          {rating.verification && (
                            <Tag color={rating.verification === 'pending' ? 'warning' : undefined}>
                              {t(`voices.case.verification.${rating.verification}`)}
                            </Tag>
                          )}
                          <Typography.Text type="secondary">
                            {t('voices.field.round')} {rating.round} · {formatDateTime(lang, rating.at)}
                          </Typography.Text>
                        </Flex>
                        {rating.comment && <PlainText text={rating.comment} />}
                      </Flex>
                    </List.Item>
                  )}
                />
              </Card>
            )}
          </Flex>
        </Col>
        <Col xs={24} lg={9}>
          <Card title={<h2 className="card-heading">{t('voices.case.timeline')}</h2>}>
            <CaseTimeline
              entries={detail.timeline.map((entry) => ({
                key: entry.version,
                at: entry.at,
                event: entry.event,
                to: entry.to,
                actor: entry.actor,
                reason: entry.reason,
              }))}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
