import { App, Button, Card, Descriptions, Empty, Flex, Form, Input, InputNumber, List, Modal, Progress, Select, Space, Table, Tabs, Timeline, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PROJECT_CATEGORIES, PROJECT_STATUSES } from '../../../contracts/projects.ts';
import { ApiError } from '../../api/client.ts';
import { getProject, listProjects, openFinding, reportProgress, updateMilestone, type FlagView, type MilestoneView, type ProjectDetailView, type ProjectSummaryView } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { FindingList } from './oversight.page.tsx';
import { ProjectCreateModal, ProjectItemModal } from './project-forms.tsx';
import { ProjectLinks } from './project-links.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { FlagCard, MoneyCard, ProjectMap, StatusTag, categoryLabel, formatMoney } from './projects-ui.tsx';

/** 民生工程: the projects the reader may see, as a table or on a map. */
export function ProjectsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string>();
  const [category, setCategory] = useState<string>();
  const [q, setQ] = useState('');
  const remote = useRemote((signal) => listProjects({ ...(status && { status }), ...(category && { category }), ...(q && { q }) }, signal), [status, category, q]);
  const open = useCallback((id: number) => navigate(`/projects/${id}`), [navigate]);
  const user = useCurrentUser();
  const [creating, setCreating] = useState(false);
  const projects = remote.data ?? [];
  return (
    <>
      <PageHeading
        title={t('nav.projects')}
        actions={(user.role === 'coordinator' || user.role === 'admin') && <Button type="primary" onClick={() => setCreating(true)}>{t('projects.create')}</Button>}
      />
      <ProjectCreateModal open={creating} onClose={() => setCreating(false)} onSaved={open} />
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Input.Search aria-label={t('common.search')} placeholder={t('projects.searchPlaceholder')} allowClear onSearch={setQ} style={{ width: 240 }} />
        <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} value={status} onChange={setStatus} style={{ width: 140 }} options={PROJECT_STATUSES.map((value) => ({ value, label: t(`projects.projectStatus.${value}` as MessageKey) }))} />
        <Select aria-label={t('projects.categoryLabel')} allowClear placeholder={t('projects.categoryLabel')} value={category} onChange={setCategory} style={{ width: 160 }} options={PROJECT_CATEGORIES.map((value) => ({ value, label: categoryLabel(t, value) }))} />
      </Flex>
      <ProblemAlert error={remote.error} style={{ marginBottom: 16 }} />
      <Tabs
        items={[
          {
            key: 'table',
            label: t('projects.table'),
            children: (
              <Table<ProjectSummaryView>
                rowKey="id"
                loading={remote.loading}
                dataSource={projects}
                scroll={{ x: true }}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { title: t('projects.code'), dataIndex: 'code', width: 120 },
                  { title: t('projects.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/projects/${row.id}`}>{name}</Link> },
                  { title: t('projects.categoryLabel'), dataIndex: 'category', render: (value: string) => categoryLabel(t, value) },
                  { title: t('projects.leadDepartment'), dataIndex: 'leadDepartment' },
                  { title: t('common.status'), dataIndex: 'status', render: (value: string) => <StatusTag kind="project" status={value} /> },
                  { title: t('projects.progress'), dataIndex: 'progress', width: 140, render: (value: number) => <Progress percent={value} size="small" aria-label={t('projects.progress')} /> },
                  { title: t('projects.planned'), key: 'planned', align: 'right', render: (_: unknown, row) => formatMoney(lang, row.money.planned) },
                  { title: t('projects.paid'), key: 'paid', align: 'right', render: (_: unknown, row) => <Typography.Text type={row.money.paidOverContract ? 'danger' : undefined}>{formatMoney(lang, row.money.paid)}</Typography.Text> },
                  { title: t('projects.flags'), dataIndex: 'flags', width: 80 },
                  { title: t('projects.openFindings'), dataIndex: 'openFindings', width: 90 },
                ]}
              />
            ),
          },
          { key: 'map', label: t('projects.map'), children: <ProjectMap points={projects} onOpen={open} /> },
        ]}
      />
    </>
  );
}

/** A progress report: percentage, note, optional milestone. */
function ProgressModal({ project, onClose, onSaved }: { project: ProjectDetailView; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ progress: number; note: string; milestoneId?: number }>();
  const [error, setError] = useState<ApiError>();
  const save = async (values: { progress: number; note: string; milestoneId?: number }) => {
    try {
      await reportProgress(project.id, { progress: values.progress, note: values.note, milestoneId: values.milestoneId ?? null });
      onSaved();
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
  };
  return (
    <Modal open title={t('projects.reportProgress')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} name="progress" layout="vertical" initialValues={{ progress: project.progress }} onFinish={save}>
        <Form.Item name="progress" label={t('projects.progress')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} addonAfter="%" />
        </Form.Item>
        <Form.Item name="note" label={t('projects.note')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="milestoneId" label={t('projects.milestone')}>
          <Select allowClear options={project.milestones.map((milestone) => ({ value: milestone.id, label: milestone.title }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Reporting a milestone done, with its evidence. */
function MilestoneModal({ milestone, onClose, onSaved }: { milestone: MilestoneView; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ status: string; evidence: string }>();
  const [error, setError] = useState<ApiError>();
  const save = async (values: { status: string; evidence: string }) => {
    try {
      await updateMilestone(milestone.id, { version: milestone.version, status: values.status, evidence: values.evidence });
      onSaved();
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
  };
  return (
    <Modal open title={milestone.title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form form={form} name="milestone" layout="vertical" initialValues={{ status: milestone.status, evidence: milestone.evidence }} onFinish={save}>
        <Form.Item name="status" label={t('common.status')}>
          <Select options={(['pending', 'done', 'delayed'] as const).map((value) => ({ value, label: t(`projects.milestoneStatus.${value}`) }))} />
        </Form.Item>
        <Form.Item name="evidence" label={t('projects.evidence')}>
          <Input.TextArea rows={3} placeholder={t('projects.evidenceHelp')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** An auditor opens a finding from a red flag. */
export function FindingFromFlagModal({ flag, onClose, onSaved }: { flag: FlagView; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ type: string; title: string; description: string }>();
  const [error, setError] = useState<ApiError>();
  const save = async (values: { type: string; title: string; description: string }) => {
    try {
      await openFinding({ type: values.type, title: values.title, description: values.description, foundOn: new Date().toISOString().slice(0, 10), flagId: flag.id });
      message.success(t('common.saved'));
      onSaved();
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
  };
  return (
    <Modal open title={t('projects.openFindingFromFlag')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} cancelText={t('common.cancel')}>
      <ProblemAlert error={error} style={{ marginBottom: 12 }} />
      <Form
        form={form}
        name="finding-from-flag"
        layout="vertical"
        initialValues={{ type: 'audit', title: `${flag.indicator} ${flag.subjectName ?? flag.subjectId}`, description: lang === 'en' ? flag.explanation.en : flag.explanation.zh }}
        onFinish={save}
      >
        <Form.Item name="type" label={t('projects.findingType')}>
          <Select options={(['comprehensive', 'special', 'law_enforcement', 'audit'] as const).map((value) => ({ value, label: t(`projects.findingTypes.${value}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('projects.findingTitle')} rules={[{ required: true, whitespace: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('projects.description')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One project: registry, money, milestones and progress, findings, linked cases, procurement with red flags. */
export function ProjectPage() {
  const { t, lang } = useI18n();
  const id = Number(useParams().id);
  const remote = useRemote((signal) => getProject(id, signal), [id]);
  const [progressOpen, setProgressOpen] = useState(false);
  const [milestone, setMilestone] = useState<MilestoneView>();
  const [flag, setFlag] = useState<FlagView>();
  const [adding, setAdding] = useState<'budget' | 'payment' | 'milestone'>();
  const project = remote.data;
  if (!project) return <ProblemAlert error={remote.error} />;
  return (
    <>
      <PageHeading
        title={project.name}
        actions={
          <Space wrap>
            {project.allowed.manage && <Button onClick={() => setAdding('budget')}>{t('projects.addBudgetLine')}</Button>}
            {project.allowed.manage && <Button onClick={() => setAdding('payment')}>{t('projects.addPayment')}</Button>}
            {project.allowed.progress && <Button onClick={() => setAdding('milestone')}>{t('projects.addMilestone')}</Button>}
            {project.allowed.progress && (
              <Button type="primary" onClick={() => setProgressOpen(true)}>
                {t('projects.reportProgress')}
              </Button>
            )}
          </Space>
        }
      />
      <ProblemAlert error={remote.error} style={{ marginBottom: 16 }} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('projects.code')}>{project.code}</Descriptions.Item>
            <Descriptions.Item label={t('projects.categoryLabel')}>{categoryLabel(t, project.category)}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}><StatusTag kind="project" status={project.status} /></Descriptions.Item>
            <Descriptions.Item label={t('projects.leadDepartment')}>{project.leadDepartment}</Descriptions.Item>
            <Descriptions.Item label={t('projects.coUnits')}>{project.coDepartments.map((unit) => unit.name).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.district')}>{[project.district, ...project.areas.map((area) => area.name)].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.location')}>{project.location ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.beneficiaries')}>{project.beneficiaries ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.period')}>{`${project.plannedStart ?? '—'} – ${project.plannedEnd ?? '—'}`}</Descriptions.Item>
          </Descriptions>
          {project.description && <Typography.Paragraph style={{ marginTop: 8 }}>{project.description}</Typography.Paragraph>}
          <Progress percent={project.progress} data-testid="project-progress" aria-label={t('projects.progress')} />
        </Card>
        <MoneyCard money={project.money} />
        <Tabs
          items={[
            {
              key: 'milestones',
              label: t('projects.milestones'),
              children: (
                <Flex vertical gap={12}>
                  <Table<MilestoneView>
                    rowKey="id"
                    size="small"
                    dataSource={project.milestones}
                    pagination={false}
                    columns={[
                      { title: t('projects.milestone'), dataIndex: 'title' },
                      { title: t('projects.plannedDate'), dataIndex: 'plannedDate', width: 120 },
                      { title: t('projects.completedOn'), dataIndex: 'completedOn', width: 120, render: (value: string | null) => value ?? '—' },
                      { title: t('common.status'), dataIndex: 'status', width: 100, render: (value: string) => <StatusTag kind="milestone" status={value} /> },
                      { title: t('projects.evidence'), dataIndex: 'evidence', render: (value: string) => value || '—' },
                      ...(project.allowed.progress ? [{ title: t('common.actions'), key: 'edit', width: 90, render: (_: unknown, row: MilestoneView) => <Button size="small" onClick={() => setMilestone(row)}>{t('projects.report')}</Button> }] : []),
                    ]}
                  />
                  <Card size="small" title={t('projects.updates')}>
                    {project.updates.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> : (
                      <Timeline items={project.updates.map((update) => ({ key: update.id, children: <span>{formatDateTime(lang, update.createdAt)} · {update.progress}% · {update.note}</span> }))} />
                    )}
                  </Card>
                </Flex>
              ),
            },
            {
              key: 'money',
              label: t('projects.moneyDetail'),
              children: (
                <Flex vertical gap={12}>
                  <Table size="small" rowKey="id" pagination={false} dataSource={project.budgetLines} columns={[
                    { title: t('projects.fundingSource'), dataIndex: 'fundingSource', render: (value: string) => t(`projects.funding.${value}` as MessageKey) },
                    { title: t('projects.description'), dataIndex: 'description' },
                    { title: t('projects.year'), dataIndex: 'year', width: 80 },
                    { title: t('projects.amount'), dataIndex: 'amount', align: 'right', render: (value: number) => formatMoney(lang, value) },
                  ]} />
                  <Table size="small" rowKey="id" pagination={false} dataSource={project.payments} columns={[
                    { title: t('projects.paidOn'), dataIndex: 'paidOn', width: 120 },
                    { title: t('projects.payee'), dataIndex: 'payee' },
                    { title: t('projects.purpose'), dataIndex: 'purpose' },
                    { title: t('projects.amount'), dataIndex: 'amount', align: 'right', render: (value: number) => formatMoney(lang, value) },
                  ]} />
                </Flex>
              ),
            },
            {
              key: 'procurement',
              label: t('projects.procurementTab', { n: project.flagList.length }),
              children: (
                <Flex vertical gap={12}>
                  <List
                    size="small"
                    bordered
                    dataSource={project.procurement}
                    locale={{ emptyText: <Typography.Text>{t('projects.noProcurement')}</Typography.Text> }}
                    renderItem={(process) => (
                      <List.Item>
                        <Space wrap>
                          <Link to={`/procurement/${encodeURIComponent(process.ocid)}`}>{process.ocid}</Link>
                          <span>{process.title ?? '—'}</span>
                          <Typography.Text type="secondary">{t('projects.contracted')} {formatMoney(lang, process.contractAmount)} {process.currency ?? ''}</Typography.Text>
                        </Space>
                      </List.Item>
                    )}
                  />
                  {project.flagList.map((row) => <FlagCard key={row.id} flag={row} onOpenFinding={project.allowed.findings ? setFlag : undefined} />)}
                </Flex>
              ),
            },
            { key: 'findings', label: t('projects.findingsTab', { n: project.findings.length }), children: <FindingList findings={project.findings} onChanged={remote.reload} /> },
            {
              key: 'links',
              label: t('projects.linksTab'),
              children: <ProjectLinks project={project} onChanged={remote.reload} />,
            },
          ]}
        />
      </Flex>
      {progressOpen && <ProgressModal project={project} onClose={() => setProgressOpen(false)} onSaved={remote.reload} />}
      {milestone && <MilestoneModal milestone={milestone} onClose={() => setMilestone(undefined)} onSaved={remote.reload} />}
      {flag && <FindingFromFlagModal flag={flag} onClose={() => setFlag(undefined)} onSaved={remote.reload} />}
      {adding && <ProjectItemModal kind={adding} projectId={project.id} onClose={() => setAdding(undefined)} onSaved={remote.reload} />}
    </>
  );
}
