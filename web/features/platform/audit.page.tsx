import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input, InputNumber, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntryView } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { listAudit, verifyAudit, type AuditQuery, type AuditVerification } from '../../api/platform.ts';
import { formatDateTime, shortHash } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const PAGE_SIZE = 50;

type AuditFilters = Pick<AuditQuery, 'actorUserId' | 'resourceType' | 'action'>;

interface FilterValues {
  actorUserId?: number | null;
  resourceType?: string;
  action?: string;
}

/**
 * The audit log of all the city's chains, newest first, read backwards page
 * by page (`before`, a cursor from the previous page): the log only grows,
 * so offsets would shift under the reader.
 */
function useAuditLog(filters: AuditFilters) {
  const [entries, setEntries] = useState<AuditEntryView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError>();

  const load = useCallback(
    async (before: string | undefined) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await listAudit({ ...filters, before, limit: PAGE_SIZE });
        setEntries((current) => (before === undefined ? page.items : [...current, ...page.items]));
        setNext(page.nextBefore);
      } catch (caught) {
        if (caught instanceof ApiError) setError(caught);
      } finally {
        setLoading(false);
      }
    },
    [filters],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  return { entries, loading, error, hasMore: next !== null, loadMore: () => load(next ?? undefined) };
}

/** Checks the hash chain end to end and says whether it is intact. */
function VerifyChain() {
  const { t } = useI18n();
  const [result, setResult] = useState<AuditVerification>();
  const [error, setError] = useState<ApiError>();
  const [running, setRunning] = useState(false);

  const verify = async () => {
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await verifyAudit());
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Flex vertical gap={12} style={{ marginBottom: 16 }}>
      <div>
        <Button icon={<SafetyCertificateOutlined />} onClick={verify} loading={running}>
          {t('audit.verify')}
        </Button>
      </div>
      <ProblemAlert error={error} />
      {result?.ok && (
        <Alert type="success" showIcon role="status" title={t('audit.intact', { checked: result.checked })} />
      )}
      {result && !result.ok && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('audit.broken', { checked: result.checked })}
          description={
            result.firstBroken &&
            t('audit.brokenAt', {
              chain: result.firstBroken.chain,
              seq: result.firstBroken.seq,
              reason: result.firstBroken.reason,
            })
          }
        />
      )}
    </Flex>
  );
}

function AuditFiltersForm({ onChange }: { onChange: (filters: AuditFilters) => void }) {
  const { t } = useI18n();
  const apply = (values: FilterValues) =>
    onChange({
      actorUserId: values.actorUserId ?? undefined,
      resourceType: values.resourceType?.trim() || undefined,
      action: values.action?.trim() || undefined,
    });
  return (
    <Form<FilterValues> name="audit-filter" layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
      <Form.Item name="actorUserId" label={t('audit.actorUserId')}>
        <InputNumber min={1} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="resourceType" label={t('audit.resourceType')}>
        <Input style={{ width: 160 }} placeholder="user" />
      </Form.Item>
      <Form.Item name="action" label={t('audit.action')}>
        <Input style={{ width: 180 }} placeholder="user.update" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {t('common.filter')}
      </Button>
    </Form>
  );
}

/** Who did what, when and from where; admins and auditors with city-wide scope read it. */
export function AuditPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAuditLog(filters);

  const columns: ColumnsType<AuditEntryView> = [
    { title: t('audit.chain'), dataIndex: 'chain', align: 'right' },
    { title: t('audit.seq'), dataIndex: 'seq', align: 'right' },
    { title: t('audit.at'), dataIndex: 'at', render: (at: string) => formatDateTime(lang, at) },
    { title: t('audit.actor'), dataIndex: 'actorLabel' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (action: string) => <Typography.Text code>{action}</Typography.Text>,
    },
    {
      title: t('audit.resource'),
      key: 'resource',
      render: (_, entry) => (entry.resourceId ? `${entry.resourceType} #${entry.resourceId}` : entry.resourceType),
    },
    { title: t('audit.ip'), dataIndex: 'ip', render: (ip: string | null) => ip ?? '—' },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      render: (hash: string) => (
        <Tooltip title={hash}>
          <Typography.Text code copyable={{ text: hash, tooltips: [t('common.copy'), t('common.copied')] }}>
            {shortHash(hash)}
          </Typography.Text>
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <PageHeading title={t('nav.audit')} />
      <VerifyChain />
      <AuditFiltersForm onChange={setFilters} />
      <ProblemAlert error={log.error} style={{ marginBottom: 16 }} />
      <Table<AuditEntryView>
        rowKey={(entry) => `${entry.chain}.${entry.seq}`}
        size="small"
        columns={columns}
        dataSource={log.entries}
        loading={log.loading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          columnTitle: <span className="visually-hidden">{t('audit.details')}</span>,
          expandedRowRender: (entry) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(entry.details, null, 2)}</pre>
          ),
          rowExpandable: (entry) => Object.keys(entry.details).length > 0,
        }}
      />
      {log.hasMore && (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={log.loadMore} loading={log.loading}>
            {t('audit.loadMore')}
          </Button>
        </Flex>
      )}
    </>
  );
}
