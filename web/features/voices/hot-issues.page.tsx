import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, List, Select, Space, Table, Tag, Typography } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { listHotIssues, type HotIssueView } from '../../api/hot-issues.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

echarts.use([LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

const DAYS = [7, 30, 90] as const;
const TOP = 50;

/** Messages per day of one issue, as a small line chart. */
function TrendChart({ trend, label }: { trend: HotIssueView['trend']; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption({
      grid: { left: 32, right: 12, top: 12, bottom: 24 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: trend.map((point) => point.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: label, type: 'line', smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 }, data: trend.map((point) => point.count) }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [trend, label]);
  return <div ref={element} role="img" aria-label={label} style={{ width: '100%', height: 180 }} />;
}

/** One issue opened: its trend, key terms and member messages with links to their cases. */
function IssueDetail({ issue }: { issue: HotIssueView }) {
  const { t, lang } = useI18n();
  return (
    <Flex vertical gap={12}>
      <Card size="small" title={t('hot.trend')}>
        <TrendChart trend={issue.trend} label={t('hot.trend')} />
      </Card>
      <Space wrap size={4}>
        <Typography.Text type="secondary">{t('hot.keyTerms')}</Typography.Text>
        {issue.keyTerms.map((term) => (
          <Tag key={term}>{term}</Tag>
        ))}
      </Space>
      <Card size="small" title={t('hot.members', { shown: issue.members.length, size: issue.size })}>
        <List
          size="small"
          dataSource={issue.members}
          rowKey="messageId"
          renderItem={(member) => (
            <List.Item>
              <Space wrap>
                <Link to={`/cases/${member.caseId}`}>{member.caseNumber ?? `#${member.caseId}`}</Link>
                <span>{member.title}</span>
                <Typography.Text type="secondary">{formatDateTime(lang, member.submittedAt)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </Flex>
  );
}

/** 热点问题: the coordinator's hot issues, hottest first, each with its trend and messages; the alerts sent. */
export function HotIssuesPage() {
  const { t, lang } = useI18n();
  const [days, setDays] = useState<number>(30);
  const remote = useRemote((signal) => listHotIssues({ days, top: TOP }, signal), [days]);
  const report = remote.data;
  const day = (iso: string): string => formatDateTime(lang, iso).slice(0, 10);
  return (
    <>
      <PageHeading title={t('nav.hotIssues')} />
      <Typography.Paragraph type="secondary">{t('hot.intro')}</Typography.Paragraph>
      <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
        <span>{t('hot.days')}</span>
        <Select
          aria-label={t('hot.days')}
          value={days}
          onChange={setDays}
          style={{ width: 140 }}
          options={DAYS.map((n) => ({ value: n, label: t('hot.daysOption', { n }) }))}
        />
        <Button icon={<ReloadOutlined />} onClick={remote.reload} loading={remote.loading}>
          {t('hot.refresh')}
        </Button>
        {report && (
          <Typography.Text type="secondary" data-testid="hot-summary">
            {t('hot.summary', { from: day(report.from), to: day(report.to), messages: report.messages, issues: report.issues.length })}
          </Typography.Text>
        )}
      </Flex>
      <ProblemAlert error={remote.error} style={{ marginBottom: 16 }} />
      {report?.truncated && <Alert type="info" showIcon message={t('hot.truncated', { messages: report.messages })} style={{ marginBottom: 16 }} />}
      {report && report.alerts.length > 0 && (
        <Card size="small" title={t('hot.alerts')} style={{ marginBottom: 16 }}>
          <List
            size="small"
            dataSource={report.alerts}
            rowKey="id"
            renderItem={(alert) => (
              <List.Item>
                <Space wrap>
                  <Tag color="red">{t('hot.surge')}</Tag>
                  <span>{t('hot.alertLine', { place: alert.place ?? alert.title, recent: alert.recent, ratio: alert.ratio.toFixed(1) })}</span>
                  <Typography.Text type="secondary">{formatDateTime(lang, alert.createdAt)}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      {report && report.issues.length === 0 ? (
        <Empty description={t('hot.empty')} />
      ) : (
        <Table<HotIssueView>
          rowKey="rank"
          loading={remote.loading}
          dataSource={report?.issues ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (issue) => <IssueDetail issue={issue} /> }}
          scroll={{ x: true }}
          columns={[
            { title: t('hot.rank'), dataIndex: 'rank', width: 70 },
            { title: t('hot.heat'), dataIndex: 'heat', width: 90, render: (heat: number) => heat.toFixed(1) },
            { title: t('hot.place'), dataIndex: 'place', render: (place: string | null) => place ?? <Typography.Text type="secondary">{t('hot.noPlace')}</Typography.Text> },
            { title: t('hot.issue'), dataIndex: 'title' },
            { title: t('hot.period'), key: 'period', render: (_: unknown, issue) => `${day(issue.firstAt)} – ${day(issue.lastAt)}` },
            { title: t('hot.size'), dataIndex: 'size', width: 80 },
            { title: t('hot.people'), dataIndex: 'people', width: 80 },
            {
              title: t('hot.growth'),
              key: 'growth',
              render: (_: unknown, issue) => (
                <Space size={4} wrap>
                  {issue.growth.alert && <Tag color="red">{t('hot.surge')}</Tag>}
                  <span>{t('hot.growthDetail', { recent: issue.growth.recent, people: issue.growth.recentPeople, expected: issue.growth.expected.toFixed(1), ratio: issue.growth.ratio.toFixed(1) })}</span>
                </Space>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
