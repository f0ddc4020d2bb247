import { RedoOutlined } from '@ant-design/icons';
import { App, Button, Flex, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { listDeliveries, resendDelivery, resendFailedDeliveries, type DeliveryView } from '../../api/notifications.ts';
import { useRemote } from '../../api/use-remote.ts';
import { formatDateTime } from '../../components/format.ts';
import { mayOpenCase } from '../../components/navigation.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { describeProblem, ProblemAlert } from '../../components/problem-alert.tsx';
import { FIRST_PAGE, paginationOf, type PageState } from '../../components/server-pagination.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { eventLabel } from './voices-ui.tsx';

type Status = 'failed' | 'pending';
type Channel = 'email' | 'webhook';

/**
 * 通知投递: the e-mails and webhook calls that failed (or still wait), with
 * the reason, for city-wide coordinators and admins to send again once the
 * mail server or the receiving system is fixed.
 */
export function DeliveriesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const statusId = useId();
  const channelId = useId();
  const [status, setStatus] = useState<Status>('failed');
  const [channel, setChannel] = useState<Channel>();
  const [page, setPage] = useState<PageState>(FIRST_PAGE);
  const [busy, setBusy] = useState<number | 'all'>();
  const [error, setError] = useState<ApiError>();
  const deliveries = useRemote(
    (signal) => listDeliveries({ status, channel, ...page }, signal),
    [status, channel, page],
  );
  const linkCases = mayOpenCase(user);

  const run = async (key: number | 'all', action: () => Promise<string>) => {
    setBusy(key);
    setError(undefined);
    try {
      message.success(await action());
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.status === 409) message.warning(caught.problem.detail || describeProblem(t, caught.problem));
      else setError(caught);
    } finally {
      setBusy(undefined);
      deliveries.reload();
    }
  };

  const columns: ColumnsType<DeliveryView> = [
    { title: 'ID', dataIndex: 'id' },
    {
      title: t('voices.field.number'),
      dataIndex: 'caseNumber',
      render: (number: string, row) => (linkCases ? <Link to={`/cases/${row.caseId}`}>{number}</Link> : number),
    },
    {
      title: t('deliveries.channel'),
      dataIndex: 'channel',
      render: (value: Channel) => t(`deliveries.channel.${value}`),
    },
    {
      title: t('deliveries.target'),
      dataIndex: 'target',
      render: (target: string) => <span style={{ overflowWrap: 'anywhere' }}>{target}</span>,
    },
    { title: t('deliveries.event'), dataIndex: 'event', render: (event: string) => eventLabel(t, event) },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (value: DeliveryView['status']) => (
        <Tag color={value === 'failed' ? 'error' : value === 'pending' ? 'processing' : 'success'}>
          {t(`deliveries.status.${value}`)}
        </Tag>
      ),
    },
    { title: t('deliveries.attempts'), dataIndex: 'attempts', align: 'right' },
    {
      title: t('deliveries.lastError'),
      dataIndex: 'lastError',
      render: (reason: string | null) => <span style={{ overflowWrap: 'anywhere' }}>{reason ?? '—'}</span>,
    },
    { title: t('deliveries.createdAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(lang, at) },
    {
      title: t('deliveries.nextAttemptAt'),
      dataIndex: 'nextAttemptAt',
      render: (at: string, row) => (row.status === 'pending' ? formatDateTime(lang, at) : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) =>
        row.status === 'failed' ? (
          <Button
            size="small"
            icon={<RedoOutlined />}
            loading={busy === row.id}
            aria-label={`${t('deliveries.resend')} #${row.id}`}
            onClick={() =>
              run(row.id, async () => {
                await resendDelivery(row.id);
                return t('deliveries.resent', { count: 1 });
              })
            }
          >
            {t('deliveries.resend')}
          </Button>
        ) : null,
    },
  ];

  const failedTotal = status === 'failed' ? (deliveries.data?.total ?? 0) : 0;
  return (
    <>
      <PageHeading
        title={t('nav.deliveries')}
        actions={
          <Popconfirm
            title={t('deliveries.resendAllConfirm', { count: failedTotal })}
            okText={t('deliveries.resendAll')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              run('all', async () => t('deliveries.resent', { count: (await resendFailedDeliveries()).resent }))
            }
            disabled={failedTotal === 0}
          >
            <Button type="primary" icon={<RedoOutlined />} loading={busy === 'all'} disabled={failedTotal === 0}>
              {t('deliveries.resendAll')}
            </Button>
          </Popconfirm>
        }
      />
      <Typography.Paragraph>{t('deliveries.intro')}</Typography.Paragraph>
      <Flex wrap gap={16} align="center" style={{ marginBottom: 16 }}>
        <Flex align="center" gap={8}>
          <label htmlFor={statusId}>{t('common.status')}</label>
          <Select<Status>
            id={statusId}
            value={status}
            style={{ width: 140 }}
            options={[
              { value: 'failed', label: t('deliveries.status.failed') },
              { value: 'pending', label: t('deliveries.status.pending') },
            ]}
            onChange={(value) => {
              setStatus(value);
              setPage(FIRST_PAGE);
            }}
          />
        </Flex>
        <Flex align="center" gap={8}>
          <label htmlFor={channelId}>{t('deliveries.channel')}</label>
          <Select<Channel | 'all'>
            id={channelId}
            value={channel ?? 'all'}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t('deliveries.channel.all') },
              { value: 'email', label: t('deliveries.channel.email') },
              { value: 'webhook', label: t('deliveries.channel.webhook') },
            ]}
            onChange={(value) => {
              setChannel(value === 'all' ? undefined : value);
              setPage(FIRST_PAGE);
            }}
          />
        </Flex>
      </Flex>
      <ProblemAlert error={deliveries.error ?? error} style={{ marginBottom: 16 }} />
      <Table<DeliveryView>
        rowKey="id"
        columns={columns}
        dataSource={deliveries.data?.items ?? []}
        loading={deliveries.loading}
        pagination={paginationOf(page, deliveries.data?.total, setPage)}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <span className="table-empty">
              {t(status === 'failed' ? 'deliveries.noneFailed' : 'deliveries.nonePending')}
            </span>
          ),
        }}
      />
    </>
  );
}
