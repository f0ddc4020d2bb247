import { Button, Flex, Input, Select, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { useRemote } from '../../api/use-remote.ts';
import { caseExportUrl, listCases, type CaseState, type CaseSummary } from '../../api/voices.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { FIRST_PAGE, paginationOf, type PageState } from '../../components/server-pagination.ts';
import { useCurrentUser } from '../../components/session.tsx';
import { localName, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { BulkBar, BulkOutcomeTag, BulkResult, bulkEventOf, type BulkRowOutcome } from './bulk-actions.tsx';
import { STATES, SlaTag, StateTag } from './voices-ui.tsx';

/** Which list: the inbox, the coordinators' triage queue, the overdue board or a citizen's own messages. */
export type CaseListMode = 'cases' | 'triage' | 'overdue' | 'myMessages';

const TITLES: Record<CaseListMode, MessageKey> = {
  cases: 'nav.cases',
  triage: 'nav.triage',
  overdue: 'nav.overdue',
  myMessages: 'nav.myMessages',
};

const INTROS: Partial<Record<CaseListMode, MessageKey>> = {
  triage: 'voices.triage.intro',
  overdue: 'voices.overdue.intro',
  myMessages: 'voices.my.intro',
};

/** A table of cases in the caller's scope, soonest deadline first, with the countdown of each. */
export function CaseListPage({ mode }: { mode: CaseListMode }) {
  const { t, lang } = useI18n();
  const user = useCurrentUser();
  const staff = user.role !== 'citizen';
  const overdueId = useId();
  const [q, setQ] = useState('');
  const [state, setState] = useState<CaseState>();
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [page, setPage] = useState<PageState>(FIRST_PAGE);
  const overdue = mode === 'overdue' || (mode === 'cases' && overdueOnly);
  const cases = useRemote(
    (signal) =>
      listCases(
        { queue: mode === 'triage' ? 'triage' : undefined, state, overdue, q: q || undefined, ...page },
        signal,
      ),
    [mode, state, overdue, q, page],
  );
  const resetPage = () => setPage((current) => ({ ...current, offset: 0 }));
  const bulkEvent = bulkEventOf(mode, user.role);
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  const [outcomes, setOutcomes] = useState<BulkRowOutcome[]>([]);
  const selected = (cases.data?.items ?? []).filter((row) => selectedIds.includes(row.id));
  const outcomeOf = new Map(outcomes.map((outcome) => [outcome.caseId, outcome]));
  const mayExport = mode !== 'myMessages' && ['handler', 'coordinator', 'auditor', 'admin'].includes(user.role);

  const columns: ColumnsType<CaseSummary> = [
    {
      title: t('voices.field.number'),
      dataIndex: 'number',
      render: (number: string, row) => <Link to={`/cases/${row.id}`}>{number}</Link>,
    },
    {
      title: t('voices.field.title'),
      dataIndex: 'title',
      render: (title: string) => <span style={{ overflowWrap: 'anywhere' }}>{title}</span>,
    },
    { title: t('voices.field.kind'), dataIndex: 'kind', render: (kind: CaseSummary['kind']) => t(`voices.kind.${kind}`) },
    { title: t('voices.field.state'), dataIndex: 'state', render: (value: CaseState) => <StateTag state={value} /> },
    { title: t('voices.field.deadline'), key: 'sla', render: (_, row) => <SlaTag sla={row.sla} /> },
  ];
  if (staff) {
    columns.push({
      title: t('voices.field.department'),
      key: 'department',
      render: (_, row) =>
        row.departmentName === null ? (
          '—'
        ) : (
          <Flex vertical>
            <span>{localName(lang, { name: row.departmentName, nameEn: row.departmentNameEn })}</span>
            {row.coHandlers.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('voices.field.coHandlers')}: {row.coHandlers.map((department) => localName(lang, department)).join('、')}
              </Typography.Text>
            )}
          </Flex>
        ),
    });
  }
  columns.push(
    { title: t('voices.field.category'), dataIndex: 'categoryPath', render: (path: string | null) => path ?? '—' },
    { title: t('voices.field.district'), dataIndex: 'districtName', render: (name: string | null) => name ?? '—' },
    { title: t('voices.field.updatedAt'), dataIndex: 'updatedAt', render: (at: string) => formatDateTime(lang, at) },
  );

  if (outcomes.length > 0) {
    columns.push({
      title: t('voices.bulk.result'),
      key: 'bulk',
      render: (_, row) => <BulkOutcomeTag outcome={outcomeOf.get(row.id)} />,
    });
  }

  const intro = INTROS[mode];
  return (
    <>
      <PageHeading title={t(TITLES[mode])} />
      {intro && <Typography.Paragraph>{t(intro)}</Typography.Paragraph>}
      <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('voices.cases.search')}
          placeholder={t('voices.cases.search')}
          allowClear
          enterButton={t('common.search')}
          onSearch={(value) => {
            setQ(value.trim());
            resetPage();
          }}
          style={{ width: 320, maxWidth: '100%' }}
        />
        {mode !== 'triage' && (
          <Select<CaseState>
            aria-label={t('voices.cases.filterState')}
            placeholder={t('voices.cases.allStates')}
            allowClear
            value={state}
            options={STATES.map((value) => ({ value, label: t(`voices.state.${value}`) }))}
            onChange={(value) => {
              setState(value);
              resetPage();
            }}
            style={{ width: 180 }}
          />
        )}
        {mode === 'cases' && (
          <Flex align="center" gap={8}>
            <Switch
              id={overdueId}
              checked={overdueOnly}
              onChange={(checked) => {
                setOverdueOnly(checked);
                resetPage();
              }}
            />
            <label htmlFor={overdueId}>{t('voices.cases.overdueOnly')}</label>
          </Flex>
        )}
        {mayExport && (
          <Button
            href={caseExportUrl(
              { queue: mode === 'triage' ? 'triage' : undefined, state, overdue, q: q || undefined },
              lang,
            )}
            download
          >
            {t('voices.cases.export')}
          </Button>
        )}
      </Flex>
      <ProblemAlert error={cases.error} style={{ marginBottom: 16 }} />
      {outcomes.length > 0 && <BulkResult outcomes={outcomes} />}
      {bulkEvent && (
        <div style={{ marginBottom: 16 }}>
          <BulkBar
            event={bulkEvent}
            selected={selected}
            onDone={(done) => {
              setOutcomes(done);
              setSelectedIds([]);
              cases.reload();
            }}
          />
        </div>
      )}
      <Table<CaseSummary>
        rowKey="id"
        columns={columns}
        rowSelection={
          bulkEvent && {
            selectedRowKeys: selectedIds,
            onChange: (keys) => setSelectedIds(keys.map(Number)),
            getCheckboxProps: (row) => ({ 'aria-label': row.number }) as object,
          }
        }
        dataSource={cases.data?.items ?? []}
        loading={cases.loading}
        locale={{ emptyText: <span className="table-empty">{t('voices.cases.empty')}</span> }}
        pagination={paginationOf(page, cases.data?.total, setPage)}
        // An empty table has nothing to scroll to, and a scroll box without focusable content traps keyboards.
        // With row selection antd's hidden measure row would hold focusable checkboxes: the wrapper scrolls instead.
        scroll={cases.data?.items.length && !bulkEvent ? { x: 'max-content' } : undefined}
        style={bulkEvent ? { overflowX: 'auto' } : undefined}
      />
    </>
  );
}

export const InboxPage = () => <CaseListPage mode="cases" />;
export const TriagePage = () => <CaseListPage mode="triage" />;
export const OverduePage = () => <CaseListPage mode="overdue" />;
export const MyMessagesPage = () => <CaseListPage mode="myMessages" />;
