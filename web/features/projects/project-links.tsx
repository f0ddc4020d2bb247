import { App, Button, Card, Flex, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { listPlanItems, listPlans } from '../../api/plans.ts';
import { linkToProject, unlinkFromProject, type ProjectDetailView } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import type { CaseState } from '../../api/voices.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { StateTag } from '../voices/voices-ui.tsx';

/**
 * The project's links to citizens' cases and work-plan items (关联诉求与工作计划):
 * cases by number, masked title and state (opening the case page), plan items
 * by plan, title and status. Who may report the project's progress (its lead
 * department's handlers, coordinators and admins) adds a case by its number,
 * picks a plan item from the lead department's plans, and removes links.
 */
export function ProjectLinks({ project, onChanged }: { project: ProjectDetailView; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const editable = project.allowed.progress;
  const [caseNumber, setCaseNumber] = useState('');
  const [planId, setPlanId] = useState<number>();
  const [planItemId, setPlanItemId] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const plans = useRemote((signal) => (editable ? listPlans({ departmentId: project.leadDepartmentId }, signal) : Promise.resolve([])), [editable, project.leadDepartmentId]);
  const items = useRemote((signal) => (planId === undefined ? Promise.resolve([]) : listPlanItems(planId, signal)), [planId]);
  const linkedItems = new Set(project.planItemIds);

  const change = async (action: () => Promise<unknown>, done?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      message.success(t('common.saved'));
      done?.();
      onChanged();
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      else throw caught;
    } finally {
      setBusy(false);
    }
  };
  const addCase = () => {
    const number = caseNumber.trim();
    if (number) void change(() => linkToProject(project.id, { caseNumber: number }), () => setCaseNumber(''));
  };
  const addPlanItem = () => {
    if (planItemId !== undefined) void change(() => linkToProject(project.id, { planItemId }), () => setPlanItemId(undefined));
  };
  const removeButton = (label: string, onConfirm: () => void) => (
    <Popconfirm title={t('projects.unlinkConfirm')} okText={t('projects.unlink')} cancelText={t('common.cancel')} onConfirm={onConfirm}>
      <Button size="small" type="link" danger aria-label={label}>{t('projects.unlink')}</Button>
    </Popconfirm>
  );

  return (
    <Flex vertical gap={12}>
      <ProblemAlert error={error} />
      <Card size="small" title={t('projects.links')} data-testid="project-linked-cases">
        {editable && (
          <Space.Compact style={{ marginBottom: 12, maxWidth: 420, width: '100%' }}>
            <Input aria-label={t('projects.caseNumber')} placeholder={t('projects.caseNumberPlaceholder')} value={caseNumber} onChange={(event) => setCaseNumber(event.target.value)} onPressEnter={addCase} />
            <Button type="primary" loading={busy} disabled={!caseNumber.trim()} onClick={addCase}>{t('projects.linkCase')}</Button>
          </Space.Compact>
        )}
        <List
          size="small"
          dataSource={project.linkedCases}
          locale={{ emptyText: <Typography.Text>{t('projects.noLinks')}</Typography.Text> }}
          renderItem={(link) => (
            <List.Item actions={editable ? [removeButton(t('projects.unlinkCase', { number: link.number ?? String(link.caseId) }), () => void change(() => unlinkFromProject(project.id, { caseId: link.caseId })))] : []}>
              <Space wrap>
                <Link to={`/cases/${link.caseId}`}>{link.number ?? t('projects.caseLink', { id: link.caseId })}</Link>
                {link.title && <span>{link.title}</span>}
                {link.state && <StateTag state={link.state as CaseState} />}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Card size="small" title={t('projects.linkedPlanItems')} data-testid="project-linked-plan-items">
        {editable && (
          <Flex wrap gap={8} style={{ marginBottom: 12 }}>
            <Select
              aria-label={t('projects.plan')}
              placeholder={t('projects.plan')}
              style={{ width: 240 }}
              loading={plans.loading}
              value={planId}
              onChange={(value: number) => {
                setPlanId(value);
                setPlanItemId(undefined);
              }}
              options={(plans.data ?? []).map((plan) => ({ value: plan.id, label: `${plan.year} ${plan.title}` }))}
              notFoundContent={t('projects.noPlans')}
            />
            <Select
              aria-label={t('projects.planItem')}
              placeholder={t('projects.planItem')}
              style={{ width: 280 }}
              disabled={planId === undefined}
              loading={items.loading && planId !== undefined}
              value={planItemId}
              onChange={(value: number) => setPlanItemId(value)}
              options={(items.data ?? []).map((item) => ({ value: item.id, label: item.title, disabled: linkedItems.has(item.id) }))}
            />
            <Button type="primary" loading={busy} disabled={planItemId === undefined} onClick={addPlanItem}>{t('projects.linkPlanItem')}</Button>
          </Flex>
        )}
        <ProblemAlert error={plans.error ?? items.error} />
        <List
          size="small"
          dataSource={project.linkedPlanItems}
          locale={{ emptyText: <Typography.Text>{t('projects.noPlanItems')}</Typography.Text> }}
          renderItem={(item) => (
            <List.Item actions={editable ? [removeButton(t('projects.unlinkPlanItem', { title: item.title ?? String(item.planItemId) }), () => void change(() => unlinkFromProject(project.id, { planItemId: item.planItemId })))] : []}>
              <Space wrap>
                {item.planTitle && <Typography.Text type="secondary">{item.planTitle}</Typography.Text>}
                <span>{item.title ?? `#${item.planItemId}`}</span>
                {item.status && <Tag>{t(`plans.status.${item.status}` as MessageKey)}</Tag>}
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </Flex>
  );
}
