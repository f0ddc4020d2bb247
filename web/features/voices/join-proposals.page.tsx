import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Input, Pagination, Popconfirm, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import {
  confirmJoinProposal,
  listJoinProposals,
  rejectJoinProposal,
  type JoinProposalListView,
  type JoinProposalStatus,
  type JoinProposalView,
} from '../../api/join-proposals.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { describeProblem, ProblemAlert } from '../../components/problem-alert.tsx';
import { FIRST_PAGE, type PageState } from '../../components/server-pagination.ts';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';
import { PlainText, StateTag } from './voices-ui.tsx';

const percent = (value: number): string => `${Math.round(value * 100)}%`;

/** The reasons of a proposal in words: what the texts share, where, what problem, how far apart in time. */
function Reasons({ proposal, t }: { proposal: JoinProposalView; t: Translate }) {
  const { reasons } = proposal;
  const place =
    reasons.place.basis === 'unknown'
      ? t('joins.place.unknown')
      : `${t(`joins.place.${reasons.place.basis}`)} ${percent(reasons.place.score)}` +
        (reasons.place.distanceKm !== null ? ` · ${t('joins.distance', { km: reasons.place.distanceKm })}` : '');
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label={t('joins.text')}>{percent(reasons.text)}</Descriptions.Item>
      <Descriptions.Item label={t('joins.place')}>
        <Space wrap size={4}>
          <span>{place}</span>
          {reasons.place.shared.map((term) => (
            <Tag key={term}>{term}</Tag>
          ))}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('joins.problem')}>
        <Space wrap size={4}>
          <span>
            {t(`joins.problem.${reasons.problem.basis}`)} {percent(reasons.problem.score)}
          </span>
          {reasons.problem.shared.map((term) => (
            <Tag key={term}>{term}</Tag>
          ))}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('joins.daysApart')}>{t('joins.days', { n: Math.round(reasons.daysApart * 10) / 10 })}</Descriptions.Item>
    </Descriptions>
  );
}

/** One side of a proposal: a case and the message that speaks for it. */
function Side({ heading, caseView, message, extra }: {
  heading: string;
  caseView: JoinProposalView['case'];
  message: { title: string; body: string; submittedAt: string };
  extra?: string;
}) {
  const { lang } = useI18n();
  return (
    <Card size="small" title={heading} style={{ height: '100%' }}>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 8 }}>
        <Link to={`/cases/${caseView.id}`}>{caseView.number}</Link>
        <StateTag state={caseView.state} />
        {caseView.districtName && <Tag>{caseView.districtName}</Tag>}
        {caseView.categoryPath && <Typography.Text type="secondary">{caseView.categoryPath}</Typography.Text>}
        {extra && <Typography.Text type="secondary">{extra}</Typography.Text>}
      </Flex>
      <Typography.Text strong>{message.title}</Typography.Text>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {formatDateTime(lang, message.submittedAt)}
      </Typography.Text>
      <PlainText text={message.body.length > 300 ? `${message.body.slice(0, 300)}…` : message.body} style={{ marginTop: 4 }} />
    </Card>
  );
}

/**
 * 并案建议: messages the near-duplicate indexer found to say the same thing
 * (same problem, same place) as an open case, with the score and why; the
 * coordinator confirms (the new case is merged into the matched one and its
 * requesters join it) or rejects. Every decision tunes the city's threshold.
 */
export function JoinProposalsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const statusId = useId();
  const [status, setStatus] = useState<JoinProposalStatus>('open');
  const [page, setPage] = useState<PageState>(FIRST_PAGE);
  const [busy, setBusy] = useState<number>();
  const [error, setError] = useState<ApiError>();
  const [notes, setNotes] = useState<Record<number, string>>({});
  const proposals = useRemote<JoinProposalListView>((signal) => listJoinProposals({ status, ...page }, signal), [status, page]);

  const decide = async (proposal: JoinProposalView, confirm: boolean) => {
    setBusy(proposal.id);
    setError(undefined);
    const body = { caseVersion: proposal.case.version, ...(notes[proposal.id]?.trim() ? { note: notes[proposal.id]!.trim() } : {}) };
    try {
      await (confirm ? confirmJoinProposal(proposal.id, body) : rejectJoinProposal(proposal.id, body));
      message.success(t(confirm ? 'joins.confirmed' : 'joins.rejected', { number: proposal.case.number, into: proposal.matchedCase.number }));
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.status === 409) message.warning(caught.problem.detail || describeProblem(t, caught.problem));
      else setError(caught);
    } finally {
      setBusy(undefined);
      proposals.reload();
    }
  };

  const threshold = proposals.data?.threshold;
  return (
    <>
      <PageHeading title={t('nav.joinProposals')} />
      <Typography.Paragraph>{t('joins.intro')}</Typography.Paragraph>
      <Flex wrap gap={16} align="center" style={{ marginBottom: 16 }}>
        <Flex align="center" gap={8}>
          <label htmlFor={statusId}>{t('common.status')}</label>
          <Select<JoinProposalStatus>
            id={statusId}
            value={status}
            style={{ width: 140 }}
            options={(['open', 'confirmed', 'rejected'] as const).map((value) => ({ value, label: t(`joins.status.${value}`) }))}
            onChange={(value) => {
              setStatus(value);
              setPage(FIRST_PAGE);
            }}
          />
        </Flex>
        {threshold && (
          <Typography.Text type="secondary" data-testid="join-threshold">
            {threshold.learned
              ? t('joins.threshold.learned', {
                  value: threshold.value.toFixed(2),
                  decisions: threshold.decisions,
                  precision: threshold.precision === null ? '—' : percent(threshold.precision),
                  at: formatDateTime(lang, threshold.learnedAt),
                })
              : t('joins.threshold.default', { value: threshold.value.toFixed(2), decisions: threshold.decisions })}
          </Typography.Text>
        )}
      </Flex>
      <ProblemAlert error={proposals.error ?? error} style={{ marginBottom: 16 }} />
      <Spin spinning={proposals.loading}>
        {(proposals.data?.items.length ?? 0) === 0 && !proposals.loading ? (
          <Empty description={t(status === 'open' ? 'joins.noneOpen' : 'joins.noneDecided')} />
        ) : (
          <Flex vertical gap={16}>
            {proposals.data?.items.map((proposal) => (
              <Card
                key={proposal.id}
                data-testid={`join-proposal-${proposal.id}`}
                title={
                  <Flex wrap gap={8} align="center">
                    <span>{t('joins.title', { id: proposal.id })}</span>
                    <Tag color={proposal.score >= proposal.threshold + 0.2 ? 'red' : 'orange'}>{t('joins.score', { score: proposal.score.toFixed(2) })}</Tag>
                    <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
                      {formatDateTime(lang, proposal.createdAt)}
                    </Typography.Text>
                    {proposal.status !== 'open' && <Tag>{t(`joins.status.${proposal.status}`)}</Tag>}
                  </Flex>
                }
              >
                <Row gutter={[16, 16]}>
                  <Col xs={24} lg={8}>
                    <Side heading={t('joins.newMessage')} caseView={proposal.case} message={proposal.message} />
                  </Col>
                  <Col xs={24} lg={8}>
                    <Side
                      heading={t('joins.matchedCase')}
                      caseView={proposal.matchedCase}
                      message={proposal.matchedMessage}
                      extra={t('joins.messages', { n: proposal.matchedCase.messages })}
                    />
                  </Col>
                  <Col xs={24} lg={8}>
                    <Reasons proposal={proposal} t={t} />
                  </Col>
                </Row>
                {proposal.status === 'open' ? (
                  <Flex wrap gap={8} align="center" style={{ marginTop: 16 }}>
                    <Input
                      aria-label={t('joins.note')}
                      placeholder={t('joins.note')}
                      maxLength={500}
                      style={{ maxWidth: 360 }}
                      value={notes[proposal.id] ?? ''}
                      onChange={(event) => setNotes({ ...notes, [proposal.id]: event.target.value })}
                    />
                    <Popconfirm
                      title={t('joins.confirmQuestion', { number: proposal.case.number, into: proposal.matchedCase.number })}
                      okText={t('joins.confirm')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => decide(proposal, true)}
                    >
                      <Button type="primary" icon={<CheckOutlined />} loading={busy === proposal.id}>
                        {t('joins.confirm')}
                      </Button>
                    </Popconfirm>
                    <Button icon={<CloseOutlined />} loading={busy === proposal.id} onClick={() => decide(proposal, false)}>
                      {t('joins.reject')}
                    </Button>
                  </Flex>
                ) : (
                  proposal.decisionNote && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
                      {t('joins.note')}: {proposal.decisionNote}
                    </Typography.Paragraph>
                  )
                )}
              </Card>
            ))}
          </Flex>
        )}
      </Spin>
      {(proposals.data?.total ?? 0) > page.limit && (
        <Pagination
          style={{ marginTop: 16 }}
          current={Math.floor(page.offset / page.limit) + 1}
          pageSize={page.limit}
          total={proposals.data?.total ?? 0}
          onChange={(current, pageSize) => setPage({ limit: pageSize, offset: (current - 1) * pageSize })}
        />
      )}
    </>
  );
}
