import { App, Button, Card, Empty, Flex, Input, List, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { listFindings, listIndicatorSettings, listRectifications, saveIndicatorSettings, updateFinding, updateRectification, type FindingView, type RectificationView } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { StatusTag } from './projects-ui.tsx';

/** Findings with their rectification items; auditors close a finding once every item is signed off. */
export function FindingList({ findings, onChanged }: { findings: readonly FindingView[]; onChanged: () => void }) {
  const { t } = useI18n();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const close = async (finding: FindingView) => {
    try {
      await updateFinding(finding.id, { version: finding.version, status: 'closed' });
      onChanged();
    } catch (caught) {
      if (caught instanceof ApiError) message.error(caught.problem.detail);
      else throw caught;
    }
  };
  if (findings.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.noFindings')} />;
  return (
    <List
      dataSource={[...findings]}
      rowKey="id"
      renderItem={(finding) => (
        <List.Item data-testid="finding">
          <Flex vertical gap={4} style={{ width: '100%' }}>
            <Space wrap>
              <Tag>{t(`projects.findingTypes.${finding.type}` as MessageKey)}</Tag>
              <Typography.Text strong>{finding.title}</Typography.Text>
              <StatusTag kind="finding" status={finding.status} />
              <Typography.Text type="secondary">{finding.foundOn}</Typography.Text>
              {finding.projectId && finding.projectName && <Link to={`/projects/${finding.projectId}`}>{finding.projectName}</Link>}
              {finding.ocid && <Link to={`/procurement/${encodeURIComponent(finding.ocid)}`}>{finding.ocid}</Link>}
              {user.role === 'auditor' && finding.status !== 'closed' && <Button size="small" onClick={() => void close(finding)}>{t('projects.closeFinding')}</Button>}
            </Space>
            {finding.description && <Typography.Text type="secondary">{finding.description}</Typography.Text>}
            {finding.rectifications.map((item) => (
              <Space key={item.id} wrap style={{ paddingLeft: 16 }}>
                <StatusTag kind="rectification" status={item.status} />
                <span>{item.description}</span>
                <Typography.Text type={item.overdue ? 'danger' : 'secondary'}>{item.ownerDepartment} · {t('projects.due', { date: item.dueDate })}</Typography.Text>
              </Space>
            ))}
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** 整改台账: items by owner department; owners submit evidence, auditors sign off or send back. */
function RectificationBoard() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const [status, setStatus] = useState<string>();
  const remote = useRemote((signal) => listRectifications(status ? { status } : {}, signal), [status]);
  const [editing, setEditing] = useState<RectificationView>();
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<ApiError>();
  const act = async (item: RectificationView, change: { evidence?: string; status?: string }) => {
    try {
      await updateRectification(item.id, { version: item.version, ...change });
      setEditing(undefined);
      setError(undefined);
      remote.reload();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
  };
  const auditor = user.role === 'auditor';
  return (
    <>
      <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} value={status} onChange={setStatus} style={{ width: 160, marginBottom: 12 }} options={(['open', 'submitted', 'signed_off'] as const).map((value) => ({ value, label: t(`projects.rectificationStatus.${value}`) }))} />
      <ProblemAlert error={remote.error ?? error} style={{ marginBottom: 12 }} />
      <Table<RectificationView>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        scroll={{ x: true }}
        columns={[
          { title: t('projects.finding'), dataIndex: 'findingTitle' },
          { title: t('projects.rectification'), dataIndex: 'description' },
          { title: t('projects.owner'), dataIndex: 'ownerDepartment' },
          { title: t('projects.dueDate'), dataIndex: 'dueDate', width: 110, render: (value: string, row) => <Typography.Text type={row.overdue ? 'danger' : undefined}>{value}{row.overdue ? ` (${t('projects.overdue')})` : ''}</Typography.Text> },
          { title: t('common.status'), dataIndex: 'status', width: 100, render: (value: string) => <StatusTag kind="rectification" status={value} /> },
          { title: t('projects.evidence'), dataIndex: 'evidence', render: (value: string) => value || '—' },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, row) => (
              <Space>
                {!auditor && row.status === 'open' && <Button size="small" onClick={() => { setEditing(row); setEvidence(row.evidence); }}>{t('projects.submitEvidence')}</Button>}
                {auditor && row.status === 'submitted' && <Button size="small" type="primary" onClick={() => void act(row, { status: 'signed_off' })}>{t('projects.signOff')}</Button>}
                {auditor && row.status === 'submitted' && <Button size="small" onClick={() => void act(row, { status: 'open' })}>{t('projects.sendBack')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <Modal open title={t('projects.submitEvidence')} onCancel={() => setEditing(undefined)} onOk={() => void act(editing, { evidence, status: 'submitted' })} okText={t('common.save')} cancelText={t('common.cancel')}>
          <Input.TextArea aria-label={t('projects.evidence')} rows={4} value={evidence} onChange={(event) => setEvidence(event.target.value)} />
        </Modal>
      )}
    </>
  );
}

/** The red-flag settings (INI), every version kept; auditors save a new version. */
function SettingsEditor() {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const { message } = App.useApp();
  const remote = useRemote((signal) => listIndicatorSettings(signal), []);
  const [text, setText] = useState<string>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  const current = remote.data?.[0];
  const save = async () => {
    try {
      const saved = await saveIndicatorSettings({ settings: text ?? current?.settings ?? '', note });
      message.success(t('projects.settingsSaved', { version: saved.version, flags: saved.flags }));
      setError(undefined);
      remote.reload();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    }
  };
  return (
    <Flex vertical gap={12}>
      <ProblemAlert error={remote.error ?? error} />
      <Typography.Paragraph type="secondary">{t('projects.settingsHelp')}</Typography.Paragraph>
      <Input.TextArea aria-label={t('projects.settings')} rows={16} style={{ fontFamily: 'monospace' }} value={text ?? current?.settings ?? ''} onChange={(event) => setText(event.target.value)} readOnly={user.role !== 'auditor'} />
      {user.role === 'auditor' && (
        <Space wrap>
          <Input aria-label={t('projects.settingsNote')} placeholder={t('projects.settingsNote')} value={note} onChange={(event) => setNote(event.target.value)} style={{ width: 320 }} />
          <Button type="primary" onClick={() => void save()}>{t('projects.saveSettings')}</Button>
        </Space>
      )}
      <Card size="small" title={t('projects.settingsVersions')}>
        <List size="small" dataSource={remote.data ?? []} renderItem={(row) => (
          <List.Item>
            <Space wrap>
              <Tag>v{row.version}</Tag>
              <span>{row.note || '—'}</span>
              <Typography.Text type="secondary">{row.version === 0 ? '' : `${row.createdBy ?? '—'} · ${formatDateTime(lang, row.createdAt)}`}</Typography.Text>
              <Button size="small" onClick={() => setText(row.settings)}>{t('projects.loadVersion')}</Button>
            </Space>
          </List.Item>
        )} />
      </Card>
    </Flex>
  );
}

/** 审计监督: findings, the rectification board and (for auditors and city-wide readers) the red-flag settings. */
export function OversightPage() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const [status, setStatus] = useState<string>();
  const findings = useRemote((signal) => listFindings(status ? { status } : {}, signal), [status]);
  return (
    <>
      <PageHeading title={t('nav.oversight')} />
      <Tabs
        items={[
          {
            key: 'findings',
            label: t('projects.findings'),
            children: (
              <>
                <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} value={status} onChange={setStatus} style={{ width: 160, marginBottom: 12 }} options={(['open', 'rectifying', 'closed'] as const).map((value) => ({ value, label: t(`projects.findingStatus.${value}`) }))} />
                <ProblemAlert error={findings.error} />
                <FindingList findings={findings.data ?? []} onChanged={findings.reload} />
              </>
            ),
          },
          { key: 'board', label: t('projects.rectificationBoard'), children: <RectificationBoard /> },
          ...(user.role === 'handler' ? [] : [{ key: 'settings', label: t('projects.settings'), children: <SettingsEditor /> }]),
        ]}
      />
    </>
  );
}
