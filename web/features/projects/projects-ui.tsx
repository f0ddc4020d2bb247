import { Alert, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { FlagView, MoneyView } from '../../../contracts/projects.ts';
import { useI18n, type Lang, type Translate } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

echarts.use([ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** Money in yuan, grouped in the reader's language (万 is left to the reader: exact figures matter in an audit). */
export const formatMoney = (lang: Lang, amount: number | null | undefined): string =>
  amount === null || amount === undefined ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(amount);

const STATUS_COLOURS: Record<string, string> = { planned: 'default', in_progress: 'processing', completed: 'success', suspended: 'warning', cancelled: 'error', open: 'error', rectifying: 'warning', closed: 'success', submitted: 'processing', signed_off: 'success', pending: 'default', done: 'success', delayed: 'warning' };

/** A coloured tag for any of the module's statuses. */
export function StatusTag({ kind, status }: { kind: 'project' | 'finding' | 'rectification' | 'milestone'; status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOURS[status] ?? 'default'}>{t(`projects.${kind}Status.${status}` as MessageKey)}</Tag>;
}

export const categoryLabel = (t: Translate, category: string): string => t(`projects.category.${category}` as MessageKey);

/** Planned, contracted and paid money, with the paid-over-contract flag. */
export function MoneyCard({ money }: { money: MoneyView }) {
  const { t, lang } = useI18n();
  const paidShare = money.planned > 0 ? Math.min(100, Math.round((money.paid / money.planned) * 100)) : 0;
  return (
    <Card size="small" title={t('projects.money')} data-testid="project-money">
      <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
        <Descriptions.Item label={t('projects.planned')}>{formatMoney(lang, money.planned)}</Descriptions.Item>
        <Descriptions.Item label={t('projects.contracted')}>{formatMoney(lang, money.contracted)}</Descriptions.Item>
        <Descriptions.Item label={t('projects.paid')}>{formatMoney(lang, money.paid)}</Descriptions.Item>
      </Descriptions>
      <Progress percent={paidShare} size="small" aria-label={t('projects.paid')} format={() => t('projects.paidShare', { n: paidShare })} />
      {money.paidOverContract && <Alert type="error" showIcon message={t('projects.paidOverContract')} style={{ marginTop: 8 }} />}
    </Card>
  );
}

/** One red flag with its plain-words explanation; auditors may open a finding from it. */
export function FlagCard({ flag, onOpenFinding }: { flag: FlagView; onOpenFinding?: ((flag: FlagView) => void) | undefined }) {
  const { t, lang } = useI18n();
  return (
    <Card size="small" data-testid="flag-card" style={{ marginBottom: 8 }}>
      <Space wrap style={{ marginBottom: 4 }}>
        <Tag color="red">{flag.indicator}</Tag>
        <Typography.Text strong>{t(`projects.flagSubject.${flag.subjectKind}` as MessageKey)}</Typography.Text>
        <Typography.Text type="secondary">{flag.subjectName ?? flag.subjectId}</Typography.Text>
        {flag.ocid && <Typography.Text code>{flag.ocid}</Typography.Text>}
      </Space>
      <Typography.Paragraph style={{ marginBottom: 4 }}>{lang === 'en' ? flag.explanation.en : flag.explanation.zh}</Typography.Paragraph>
      {onOpenFinding && (
        <Button size="small" onClick={() => onOpenFinding(flag)}>
          {t('projects.openFindingFromFlag')}
        </Button>
      )}
    </Card>
  );
}

/** Projects on a map: an ECharts scatter of their coordinates (no base map tiles: the app works offline). */
export function ProjectMap({ points, onOpen }: { points: { id: number; name: string; latitude: number | null; longitude: number | null; progress: number }[]; onOpen: (id: number) => void }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const placed = points.filter((point) => point.latitude !== null && point.longitude !== null);
    const chart = echarts.init(element.current);
    chart.setOption({
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: { formatter: (params: { data: [number, number, number, string, number] }) => `${params.data[3]}<br/>${params.data[2]}%` },
      xAxis: { type: 'value', scale: true, name: t('projects.longitude') },
      yAxis: { type: 'value', scale: true, name: t('projects.latitude') },
      series: [{ type: 'scatter', symbolSize: 10, data: placed.map((point) => [point.longitude, point.latitude, point.progress, point.name, point.id]) }],
    });
    chart.on('click', (params) => {
      const data = params.data as [number, number, number, string, number] | undefined;
      if (data) onOpen(data[4]);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [points, onOpen, t]);
  return <div ref={element} role="img" aria-label={t('projects.map')} data-testid="project-map" style={{ width: '100%', height: 420 }} />;
}
