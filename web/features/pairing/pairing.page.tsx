import { InboxOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Descriptions, Flex, Input, InputNumber, Progress, Radio, Select, Space, Statistic, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import {
  approveRun,
  getCoverage,
  getRun,
  importRegistry,
  listHouseholds,
  listRuns,
  proposeRun,
  rejectRun,
  type HouseholdView,
  type RegistryImportReport,
  type RegistryKind,
  type RunView,
} from '../../api/pairing.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PairingMap } from './pairing-map.tsx';
import { CadresTab, HouseholdAddButton, HouseholdEditButton } from './registry-forms.tsx';

/** A household waits too long for a visit after this many days (the coverage board's default). */
const REMINDER_DAYS = 60;

/** How often a run being computed in the background is asked for its progress. */
const RUN_POLL_MS = 1_000;

const PHASES = ['loading', 'candidates', 'augment', 'price', 'done', 'preview', 'storing'] as const;
const phaseKey = (phase: string | null) => {
  const known = PHASES.find((candidate) => candidate === phase);
  return known ? (`pairing.phase.${known}` as const) : ('pairing.status.queued' as const);
};

const computing = (status: RunView['status']): boolean => status === 'queued' || status === 'running';

const km = (cost: number | null): string => (cost === null ? '—' : (cost / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 }));
const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(2)}%`);

/** A run's progress while it is computed in the background, then its numbers and its diff against the current pairs, with approve and reject while it is a proposal. */
function RunDetail({ runId, onDecided, onComputed }: { runId: number; onDecided: () => void; onComputed: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const remote = useRemote((signal) => getRun(runId, signal), [runId]);
  const [error, setError] = useState<ApiError>();
  const run = remote.data;
  const status = run?.status;
  const { reload } = remote;
  useEffect(() => {
    if (status === undefined) return;
    if (!computing(status)) {
      onComputed();
      return;
    }
    const timer = setTimeout(reload, RUN_POLL_MS);
    return () => clearTimeout(timer);
  }, [run, status, reload, onComputed]);
  if (!run) return <ProblemAlert error={remote.error} />;
  if (computing(run.status) || run.status === 'failed') {
    return (
      <Card size="small" title={t('pairing.runTitle', { id: run.id })} data-testid="run-detail">
        <Flex vertical gap={8}>
          <Tag style={{ alignSelf: 'flex-start' }}>{t(`pairing.status.${run.status}`)}</Tag>
          {run.status === 'failed' ? (
            <Alert type="error" showIcon message={t('pairing.runFailed')} description={run.error} data-testid="run-failed" />
          ) : (
            <>
              <Progress percent={Math.round(run.progress * 100)} status="active" data-testid="run-progress" />
              <Typography.Text type="secondary">{t('pairing.runComputing', { phase: t(phaseKey(run.phase)) })}</Typography.Text>
            </>
          )}
        </Flex>
      </Card>
    );
  }
  const decide = async (action: 'approve' | 'reject') => {
    try {
      await (action === 'approve' ? approveRun(run.id) : rejectRun(run.id));
      message.success(t(action === 'approve' ? 'pairing.approved' : 'pairing.rejected'));
      setError(undefined);
      remote.reload();
      onDecided();
    } catch (reason) {
      if (reason instanceof ApiError) setError(reason);
    }
  };
  const { diff } = run;
  return (
    <Card size="small" title={t('pairing.runTitle', { id: run.id })} data-testid="run-detail">
      <Flex wrap gap={24} style={{ marginBottom: 12 }}>
        <Statistic title={t('pairing.cost')} value={km(run.cost)} suffix="km" />
        <Statistic title={t('pairing.lowerBound')} value={km(run.lowerBound)} suffix="km" />
        <Statistic title={t('pairing.gap')} value={percent(run.gap)} />
        <Statistic title={t('pairing.certified')} value={run.certified ? t('common.yes') : t('common.no')} />
        <Statistic title={t('pairing.time')} value={run.solveMs} suffix="ms" />
        <Statistic title={t('pairing.greedyGap')} value={percent(run.greedyGap)} />
      </Flex>
      <Flex wrap gap={8} style={{ marginBottom: 12 }} data-testid="run-diff">
        <Tag color="green">{t('pairing.kept', { n: diff.kept })}</Tag>
        <Tag color="orange">{t('pairing.changed', { n: diff.changed.length })}</Tag>
        <Tag color="blue">{t('pairing.added', { n: diff.added.length })}</Tag>
        <Tag color="red">{t('pairing.unserved', { n: diff.unserved.length })}</Tag>
        <Tag>{t('pairing.ended', { n: diff.ended.length })}</Tag>
      </Flex>
      {run.unserved.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('pairing.unservedList')} description={run.unserved.slice(0, 20).map((entry) => `#${entry.householdId}: ${entry.reason}`).join('；')} />
      )}
      {diff.changed.length > 0 && (
        <Table
          size="small"
          rowKey="householdId"
          dataSource={[...diff.changed]}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('pairing.household'), dataIndex: 'householdId', render: (id: number) => <Link to={`/pairing/households/${id}`}>#{id}</Link> },
            { title: t('pairing.from'), dataIndex: 'from' },
            { title: t('pairing.to'), dataIndex: 'to' },
          ]}
        />
      )}
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      {run.status === 'proposed' ? (
        <Space>
          <Button type="primary" onClick={() => void decide('approve')}>
            {t('pairing.approve')}
          </Button>
          <Button danger onClick={() => void decide('reject')}>
            {t('pairing.reject')}
          </Button>
        </Space>
      ) : (
        <Tag>{t(`pairing.status.${run.status}`)}</Tag>
      )}
    </Card>
  );
}

/** Run the optimiser, list the runs, open one to review its diff. */
function RunsTab() {
  const { t, lang } = useI18n();
  const [scenario, setScenario] = useState<'full' | 'plain'>('full');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [selected, setSelected] = useState<number>();
  const runs = useRemote((signal) => listRuns(signal), []);
  const { reload: reloadRuns } = runs;
  const run = async () => {
    setRunning(true);
    try {
      const created: RunView = await proposeRun({ scenario });
      setSelected(created.id);
      setError(undefined);
      runs.reload();
    } catch (reason) {
      if (reason instanceof ApiError) setError(reason);
    } finally {
      setRunning(false);
    }
  };
  return (
    <Flex vertical gap={16}>
      <Typography.Paragraph type="secondary">{t('pairing.runIntro')}</Typography.Paragraph>
      <Space wrap>
        <Radio.Group value={scenario} onChange={(event) => setScenario(event.target.value as 'full' | 'plain')} optionType="button">
          <Radio.Button value="full">{t('pairing.scenario.full')}</Radio.Button>
          <Radio.Button value="plain">{t('pairing.scenario.plain')}</Radio.Button>
        </Radio.Group>
        <Button type="primary" icon={<PlayCircleOutlined />} loading={running} onClick={() => void run()}>
          {t('pairing.run')}
        </Button>
      </Space>
      <ProblemAlert error={error ?? runs.error} />
      {selected !== undefined && <RunDetail key={selected} runId={selected} onDecided={reloadRuns} onComputed={reloadRuns} />}
      <Table
        size="small"
        rowKey="id"
        loading={runs.loading}
        dataSource={runs.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        onRow={(row) => ({ onClick: () => setSelected(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('pairing.when'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(lang, at) },
          { title: t('pairing.scenarioLabel'), dataIndex: 'scenario', render: (value: 'full' | 'plain') => t(`pairing.scenario.${value}`) },
          { title: t('pairing.households'), dataIndex: 'households' },
          { title: t('pairing.cost'), dataIndex: 'cost', render: (cost: number | null) => `${km(cost)} km` },
          { title: t('pairing.gap'), dataIndex: 'gap', render: percent },
          { title: t('common.status'), dataIndex: 'status', render: (status: RunView['status']) => <Tag>{t(`pairing.status.${status}`)}</Tag> },
        ]}
      />
    </Flex>
  );
}

/** Import cadres or households from CSV/XLSX with the validation report. */
function ImportTab() {
  const { t } = useI18n();
  const [kind, setKind] = useState<RegistryKind>('households');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [report, setReport] = useState<RegistryImportReport>();
  const [error, setError] = useState<ApiError>();
  const upload = async (file: File) => {
    try {
      setReport(await importRegistry(kind, file, skipInvalid));
      setError(undefined);
    } catch (reason) {
      setReport(undefined);
      if (reason instanceof ApiError) setError(reason);
    }
  };
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Select<RegistryKind>
          aria-label={t('pairing.importKind')}
          value={kind}
          onChange={setKind}
          style={{ width: 160 }}
          options={[
            { value: 'cadres', label: t('pairing.kind.cadres') },
            { value: 'households', label: t('pairing.kind.households') },
          ]}
        />
        <Checkbox checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)}>
          {t('pairing.skipInvalid')}
        </Checkbox>
      </Space>
      <Typography.Text type="secondary">{t(kind === 'cadres' ? 'pairing.columns.cadres' : 'pairing.columns.households')}</Typography.Text>
      <Upload.Dragger accept=".csv,.xlsx" showUploadList={false} beforeUpload={(file) => (void upload(file), false)}>
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('pairing.drop')}</p>
      </Upload.Dragger>
      <ProblemAlert error={error} />
      {report && (
        <Alert
          type={report.rejected.length > 0 ? 'warning' : 'success'}
          showIcon
          data-testid="import-report"
          message={t('pairing.importReport', { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected.length })}
          description={report.rejected.slice(0, 20).map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.message}`).join('\n')}
        />
      )}
    </Flex>
  );
}

/** The households of the area by community, as a list and a simple map. */
export function HouseholdsTable({ mine }: { mine: boolean }) {
  const { t } = useI18n();
  const [offset, setOffset] = useState(0);
  const [code, setCode] = useState('');
  const limit = mine ? 100 : 500;
  const remote = useRemote((signal) => listHouseholds({ limit, offset, ...(mine ? { mine: 'true' as const } : {}), ...(code ? { code } : {}) }, signal), [offset, code, mine]);
  const items = remote.data?.items ?? [];
  // The cadre's reminder: their households with no visit in the last REMINDER_DAYS days.
  const cutoff = new Date(Date.now() - REMINDER_DAYS * 86_400_000).toISOString().slice(0, 10);
  const waiting = mine ? items.filter((household) => household.lastVisit === null || household.lastVisit < cutoff) : [];
  return (
    <Flex vertical gap={12}>
      <ProblemAlert error={remote.error} />
      {waiting.length > 0 && (
        <Alert type="warning" showIcon data-testid="visit-reminder" message={t('pairing.reminder', { n: waiting.length, days: REMINDER_DAYS, codes: waiting.slice(0, 5).map((household) => household.code).join('、') })} />
      )}
      {!mine && items.length > 0 && <PairingMap households={items} label={t('pairing.map')} pairedLabel={t('pairing.paired')} unpairedLabel={t('pairing.unpaired')} />}
      {!mine && (
        <Space wrap>
          <HouseholdAddButton onSaved={remote.reload} />
          <Input.Search allowClear aria-label={t('pairing.searchCode')} placeholder={t('pairing.searchCode')} style={{ width: 220 }} onSearch={(text) => (setOffset(0), setCode(text.trim()))} />
        </Space>
      )}
      <Table<HouseholdView>
        size="small"
        rowKey="id"
        loading={remote.loading}
        dataSource={items}
        scroll={{ x: true }}
        pagination={{ current: offset / limit + 1, pageSize: limit, total: remote.data?.total ?? 0, showSizeChanger: false, onChange: (page) => setOffset((page - 1) * limit) }}
        columns={[
          { title: t('pairing.code'), dataIndex: 'code', render: (value: string, row) => <Link to={`/pairing/households/${row.id}`}>{value}</Link> },
          { title: t('pairing.community'), dataIndex: 'communityName' },
          { title: t('pairing.difficulties'), dataIndex: 'difficulties', render: (values: string[]) => values.join('、') },
          { title: t('pairing.needs'), dataIndex: 'needs', render: (values: string[]) => values.map((need) => <Tag key={need}>{need}</Tag>) },
          { title: t('pairing.cadre'), dataIndex: 'cadre', render: (cadre: HouseholdView['cadre']) => cadre?.name ?? <Typography.Text type="secondary">{t('pairing.unpaired')}</Typography.Text> },
          { title: t('pairing.lastVisit'), dataIndex: 'lastVisit', render: (value: string | null) => value ?? '—' },
          ...(mine ? [] : [{ title: t('common.actions'), key: 'actions', render: (_value: unknown, row: HouseholdView) => <HouseholdEditButton household={row} onSaved={remote.reload} /> }]),
        ]}
      />
    </Flex>
  );
}

/** The coverage board: households waiting for a visit, cadres behind, needs open too long. */
export function CoverageTab() {
  const { t } = useI18n();
  const [days, setDays] = useState(60);
  const remote = useRemote((signal) => getCoverage({ days, needDays: 30 }, signal), [days]);
  const board = remote.data;
  return (
    <Flex vertical gap={12}>
      <Space>
        <span>{t('pairing.coverageDays')}</span>
        <InputNumber aria-label={t('pairing.coverageDays')} min={1} max={365} value={days} onChange={(value) => value && setDays(value)} />
      </Space>
      <ProblemAlert error={remote.error} />
      {board && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, sm: 3 }} data-testid="coverage-summary">
            <Descriptions.Item label={t('pairing.households')}>{board.households}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.paired')}>{board.paired}</Descriptions.Item>
            <Descriptions.Item label={t('pairing.visitedWithin', { days })}>{board.visitedWithin}</Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('pairing.overdue')}>
            <Table
              size="small"
              rowKey="householdId"
              dataSource={[...board.overdue]}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('pairing.code'), dataIndex: 'code', render: (value: string, row) => <Link to={`/pairing/households/${row.householdId}`}>{value}</Link> },
                { title: t('pairing.community'), dataIndex: 'communityName' },
                { title: t('pairing.cadre'), dataIndex: 'cadreName', render: (value: string | null) => value ?? t('pairing.unpaired') },
                { title: t('pairing.lastVisit'), dataIndex: 'lastVisit', render: (value: string | null) => value ?? t('pairing.never') },
              ]}
            />
          </Card>
          <Card size="small" title={t('pairing.cadresBehind')}>
            <Table
              size="small"
              rowKey="cadreId"
              dataSource={[...board.cadresBehind]}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('pairing.cadre'), dataIndex: 'name' },
                { title: t('pairing.code'), dataIndex: 'code' },
                { title: t('pairing.households'), dataIndex: 'households' },
                { title: t('pairing.overdueCount'), dataIndex: 'overdue' },
              ]}
            />
          </Card>
          <Card size="small" title={t('pairing.needsOpen')}>
            <Table
              size="small"
              rowKey="needId"
              dataSource={[...board.needsOpen]}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              columns={[
                { title: t('pairing.household'), dataIndex: 'householdId', render: (id: number) => <Link to={`/pairing/households/${id}`}>#{id}</Link> },
                { title: t('pairing.needType'), dataIndex: 'needType' },
                { title: t('pairing.case'), dataIndex: 'caseNumber', render: (value: string | null) => value ?? '—' },
                { title: t('common.status'), dataIndex: 'caseState', render: (value: string | null) => value ?? '—' },
              ]}
            />
          </Card>
        </>
      )}
    </Flex>
  );
}

/** 结对帮扶: the coordinator's page — runs and their diff, the households and their map, import, coverage. */
export function PairingPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('nav.pairing')} />
      <Tabs
        items={[
          { key: 'runs', label: t('pairing.tab.runs'), children: <RunsTab /> },
          { key: 'households', label: t('pairing.tab.households'), children: <HouseholdsTable mine={false} /> },
          { key: 'cadres', label: t('pairing.tab.cadres'), children: <CadresTab /> },
          { key: 'coverage', label: t('pairing.tab.coverage'), children: <CoverageTab /> },
          { key: 'import', label: t('pairing.tab.import'), children: <ImportTab /> },
        ]}
      />
    </>
  );
}
