import { Card, Col, Descriptions, Flex, List, Row, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { getProcess, listFlagLeaders, listProcurement, type FlagLeaderView, type FlagView, type ProcurementSummaryView } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { FindingFromFlagModal } from './projects.page.tsx';
import { FlagCard, formatMoney } from './projects-ui.tsx';

const PAGE = 50;

function Leaders({ title, rows }: { title: string; rows: FlagLeaderView[] }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={title}>
      <List size="small" dataSource={rows} locale={{ emptyText: <Typography.Text>{t('common.noResults')}</Typography.Text> }} renderItem={(row) => (
        <List.Item>
          <Space wrap>
            <Typography.Text strong>{row.subjectName ?? row.subjectId}</Typography.Text>
            <Tag color="red">{t('projects.flagCount', { n: row.flags })}</Tag>
            <Typography.Text type="secondary">{t('projects.processCount', { n: row.processes })} · {row.indicators.join(' ')}</Typography.Text>
          </Space>
        </List.Item>
      )} />
    </Card>
  );
}

/** 采购监督: contracting processes, most flagged first, and the buyers and suppliers with the most flags. */
export function ProcurementPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const [flagged, setFlagged] = useState<'true' | 'all'>('true');
  const [page, setPage] = useState(1);
  const remote = useRemote((signal) => listProcurement({ ...(flagged === 'true' && { flagged: 'true' as const }), limit: PAGE, offset: (page - 1) * PAGE }, signal), [flagged, page]);
  const leaders = useRemote((signal) => (user.role === 'handler' ? Promise.resolve({ buyers: [], suppliers: [] }) : listFlagLeaders(signal)), [user.role]);
  return (
    <>
      <PageHeading title={t('nav.procurement')} />
      <ProblemAlert error={remote.error ?? leaders.error} style={{ marginBottom: 16 }} />
      {user.role !== 'handler' && (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={24} md={12}><Leaders title={t('projects.topBuyers')} rows={leaders.data?.buyers ?? []} /></Col>
          <Col xs={24} md={12}><Leaders title={t('projects.topSuppliers')} rows={leaders.data?.suppliers ?? []} /></Col>
        </Row>
      )}
      <Segmented value={flagged} onChange={(value) => { setFlagged(value as 'true' | 'all'); setPage(1); }} options={[{ value: 'true', label: t('projects.flaggedOnly') }, { value: 'all', label: t('projects.allProcesses') }]} style={{ marginBottom: 12 }} />
      <Table<ProcurementSummaryView>
        rowKey="ocid"
        size="small"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{ current: page, pageSize: PAGE, total: remote.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: 'OCID', dataIndex: 'ocid', render: (ocid: string) => <Link to={`/procurement/${encodeURIComponent(ocid)}`}>{ocid}</Link> },
          { title: t('projects.processTitle'), dataIndex: 'title', render: (value: string | null) => value ?? '—' },
          { title: t('projects.buyer'), dataIndex: 'buyerName', render: (value: string | null) => value ?? '—' },
          { title: t('projects.contracted'), key: 'contract', align: 'right', render: (_: unknown, row) => `${formatMoney(lang, row.contractAmount)} ${row.currency ?? ''}` },
          { title: t('projects.flags'), dataIndex: 'flags', width: 80, render: (value: number) => (value > 0 ? <Tag color="red">{value}</Tag> : 0) },
          { title: t('projects.project'), dataIndex: 'projectId', width: 90, render: (value: number | null) => (value ? <Link to={`/projects/${value}`}>#{value}</Link> : '—') },
        ]}
      />
    </>
  );
}

/** One contracting process with its figures, releases and red flags (explained). */
export function ProcessPage() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const ocid = useParams().ocid ?? '';
  const remote = useRemote((signal) => getProcess(ocid, signal), [ocid]);
  const [flag, setFlag] = useState<FlagView>();
  const process = remote.data;
  if (!process) return <ProblemAlert error={remote.error} />;
  return (
    <>
      <PageHeading title={process.title ?? process.ocid} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="OCID">{process.ocid}</Descriptions.Item>
            <Descriptions.Item label={t('projects.buyer')}>{process.buyerName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.project')}>{process.projectId ? <Link to={`/projects/${process.projectId}`}>#{process.projectId}</Link> : '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.tenderValue')}>{formatMoney(lang, process.tenderAmount)} {process.currency ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('projects.contracted')}>{formatMoney(lang, process.contractAmount)}</Descriptions.Item>
            <Descriptions.Item label={t('projects.paid')}>{formatMoney(lang, process.paidAmount)}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card size="small" title={t('projects.flagsTitle', { n: process.flagList.length })}>
          {process.flagList.length === 0 ? <Typography.Text type="secondary">{t('projects.noFlags')}</Typography.Text> : process.flagList.map((row) => <FlagCard key={row.id} flag={row} onOpenFinding={user.role === 'auditor' ? setFlag : undefined} />)}
        </Card>
        <Card size="small" title={t('projects.releases', { n: process.releases.length })}>
          <List size="small" dataSource={process.releases} renderItem={(release) => <List.Item>{release.date} · {release.id} · {release.tag.join(', ')}</List.Item>} />
        </Card>
      </Flex>
      {flag && <FindingFromFlagModal flag={flag} onClose={() => setFlag(undefined)} onSaved={remote.reload} />}
    </>
  );
}
