import { Card, Descriptions, Empty, Flex, List, Progress, Space, Table, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { getPublicProject, listPublicProjects, type PublicProjectSummaryView } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { MoneyCard, ProjectMap, StatusTag, categoryLabel, formatMoney } from './projects-ui.tsx';

/** 民生工程公开: every project of the city with its progress and money, on a map and in a table. */
export function PublicProjectsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const remote = useRemote((signal) => listPublicProjects({}, signal), []);
  const open = useCallback((id: number) => navigate(`/open/projects/${id}`), [navigate]);
  return (
    <>
      <PageHeading title={t('nav.publicProjects')} />
      <Typography.Paragraph type="secondary">{t('projects.publicIntro')}</Typography.Paragraph>
      <ProblemAlert error={remote.error} />
      <ProjectMap points={remote.data ?? []} onOpen={open} />
      <Table<PublicProjectSummaryView>
        rowKey="id"
        size="small"
        loading={remote.loading}
        dataSource={remote.data ?? []}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('projects.name'), dataIndex: 'name', render: (name: string, row) => <Link to={`/open/projects/${row.id}`}>{name}</Link> },
          { title: t('projects.categoryLabel'), dataIndex: 'category', render: (value: string) => categoryLabel(t, value) },
          { title: t('projects.district'), dataIndex: 'district', render: (value: string | null) => value ?? '—' },
          { title: t('common.status'), dataIndex: 'status', render: (value: string) => <StatusTag kind="project" status={value} /> },
          { title: t('projects.progress'), dataIndex: 'progress', width: 140, render: (value: number) => <Progress percent={value} size="small" aria-label={t('projects.progress')} /> },
          { title: t('projects.planned'), key: 'planned', align: 'right', render: (_: unknown, row) => formatMoney(lang, row.money.planned) },
          { title: t('projects.paid'), key: 'paid', align: 'right', render: (_: unknown, row) => formatMoney(lang, row.money.paid) },
        ]}
      />
    </>
  );
}

/** A project's public page: progress, money, milestones and open findings, no people. */
export function PublicProjectPage() {
  const { t } = useI18n();
  const id = Number(useParams().id);
  const remote = useRemote((signal) => getPublicProject(id, signal), [id]);
  const project = remote.data;
  if (!project) return <ProblemAlert error={remote.error} />;
  return (
    <>
      <PageHeading title={project.name} />
      <Flex vertical gap={16}>
        <Card size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('projects.categoryLabel')}>{categoryLabel(t, project.category)}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}><StatusTag kind="project" status={project.status} /></Descriptions.Item>
            <Descriptions.Item label={t('projects.leadDepartment')}>{project.leadDepartment}</Descriptions.Item>
            <Descriptions.Item label={t('projects.district')}>{project.district ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.location')}>{project.location ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('projects.beneficiaries')}>{project.beneficiaries ?? '—'}</Descriptions.Item>
          </Descriptions>
          {project.description && <Typography.Paragraph>{project.description}</Typography.Paragraph>}
          <Progress percent={project.progress} data-testid="public-progress" aria-label={t('projects.progress')} />
        </Card>
        <MoneyCard money={project.money} />
        <Card size="small" title={t('projects.milestones')}>
          <List size="small" dataSource={project.milestones} locale={{ emptyText: <Typography.Text>{t('common.none')}</Typography.Text> }} renderItem={(milestone) => (
            <List.Item>
              <Space wrap>
                <StatusTag kind="milestone" status={milestone.status} />
                <span>{milestone.title}</span>
                <Typography.Text type="secondary">{milestone.completedOn ?? milestone.plannedDate}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        </Card>
        <Card size="small" title={t('projects.openFindings')} data-testid="public-findings">
          {project.openFindings.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.noOpenFindings')} /> : (
            <List size="small" dataSource={project.openFindings} renderItem={(finding) => (
              <List.Item>
                <Space wrap>
                  <Tag>{t(`projects.findingTypes.${finding.type}` as MessageKey)}</Tag>
                  <span>{finding.title}</span>
                  <Typography.Text type="secondary">{t('projects.rectified', { done: finding.rectificationsDone, total: finding.rectificationsTotal })}</Typography.Text>
                </Space>
              </List.Item>
            )} />
          )}
        </Card>
      </Flex>
    </>
  );
}
