import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import type { ImportKind, ImportProblem, ImportReport } from '../../../contracts/platform.ts';
import { ApiError } from '../../api/client.ts';
import { runImport } from '../../api/platform.ts';
import { PageHeading } from '../../components/page-heading.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** The header row each kind of file must start with (the server's import format). */
const COLUMNS: Record<ImportKind, readonly string[]> = {
  regions: ['code', 'name', 'name_en', 'parent_code', 'level', 'lng', 'lat'],
  departments: [
    'code',
    'name',
    'name_en',
    'parent_code',
    'district_code',
    'areas',
    'contact_phone',
    'contact_email',
    'address',
  ],
  users: ['username', 'display_name', 'role', 'department_code', 'scope_region_code', 'phone', 'email', 'password'],
};

const KINDS: readonly ImportKind[] = ['regions', 'departments', 'users'];
const ACCEPT = '.csv,.xlsx';

interface Rejection extends ImportProblem {
  key: string;
}

/** `file.csv:12:phone` → file, line and column; the file name itself may contain colons. */
function parseProblemPath(path: string, message: string): ImportProblem {
  const match = /^(.*):(\d+):([^:]*)$/.exec(path);
  if (!match) return { file: path, line: 0, column: '', message };
  return { file: match[1] ?? '', line: Number(match[2]), column: match[3] ?? '', message };
}

/** A row may have several problems; the summary counts rows. */
const countLines = (problems: readonly ImportProblem[]): number =>
  new Set(problems.map((problem) => `${problem.file}:${problem.line}`)).size;

function RejectionsTable({ rows, title }: { rows: readonly ImportProblem[]; title: string }) {
  const { t } = useI18n();
  const columns: ColumnsType<Rejection> = [
    { title: t('import.file'), dataIndex: 'file' },
    { title: t('import.line'), dataIndex: 'line', align: 'right', width: 80 },
    { title: t('import.column'), dataIndex: 'column' },
    { title: t('import.message'), dataIndex: 'message' },
  ];
  return (
    <Table<Rejection>
      title={() => <h2 className="card-heading">{title}</h2>}
      size="small"
      columns={columns}
      dataSource={rows.map((row, index) => ({ ...row, key: `${index}` }))}
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 'max-content' }}
    />
  );
}

function ReportView({ report }: { report: ImportReport }) {
  const { t } = useI18n();
  return (
    <Card title={<h2 className="card-heading">{t('import.report', { file: report.file })}</h2>}>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {(['rows', 'created', 'updated', 'unchanged'] as const).map((field) => (
          <Col key={field} xs={12} md={6}>
            <Statistic title={t(`import.${field}`)} value={report[field]} />
          </Col>
        ))}
      </Row>
      {report.rejected.length > 0 ? (
        <RejectionsTable rows={report.rejected} title={t('import.skipped', { count: countLines(report.rejected) })} />
      ) : (
        <Alert type="success" showIcon title={t('import.allGood')} />
      )}
    </Card>
  );
}

/**
 * Bulk-loads regions, departments or users from CSV or XLSX. The file is sent
 * as it is; the server validates every row and either applies all of them or
 * (with "skip invalid rows") the valid ones, reporting the rest.
 */
export function ImportPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<ImportKind>('departments');
  const [file, setFile] = useState<File>();
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<ImportReport>();
  const [error, setError] = useState<ApiError>();

  const start = async () => {
    if (!file) return;
    setRunning(true);
    setReport(undefined);
    setError(undefined);
    try {
      setReport(await runImport(kind, file, skipInvalid));
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setRunning(false);
    }
  };

  const invalidRows =
    error?.code === 'import_invalid'
      ? (error.problem.errors ?? []).map(({ path, message }) => parseProblemPath(path, message))
      : undefined;

  return (
    <>
      <PageHeading title={t('nav.import')} />
      <Space orientation="vertical" size={24} style={{ width: '100%' }}>
        <Card>
          <Form layout="vertical" name="import" onFinish={start}>
            <Form.Item label={t('import.kind')}>
              <Radio.Group
                aria-label={t('import.kind')}
                value={kind}
                onChange={(event) => setKind(event.target.value as ImportKind)}
                options={KINDS.map((value) => ({ value, label: t(`import.kind.${value}`) }))}
                optionType="button"
              />
            </Form.Item>
            <Form.Item label={t('import.columns')}>
              <Typography.Paragraph code copyable style={{ marginBottom: 0, wordBreak: 'break-all' }}>
                {COLUMNS[kind].join(',')}
              </Typography.Paragraph>
              {kind === 'departments' && <Typography.Text type="secondary">{t('import.areasHint')}</Typography.Text>}
            </Form.Item>
            <Form.Item label={t('import.fileLabel')}>
              <Upload.Dragger
                accept={ACCEPT}
                maxCount={1}
                fileList={file ? [{ uid: file.name, name: file.name, status: 'done' }] : []}
                beforeUpload={(chosen) => {
                  setFile(chosen);
                  return false;
                }}
                onRemove={() => setFile(undefined)}
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('import.drop')}</p>
                <p className="ant-upload-hint">{t('import.formats')}</p>
              </Upload.Dragger>
            </Form.Item>
            <Form.Item>
              <Checkbox checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)}>
                {t('import.skipInvalid')}
              </Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={!file} loading={running}>
              {t('import.start')}
            </Button>
          </Form>
        </Card>
        {invalidRows ? (
          <Card>
            <Alert
              type="error"
              showIcon
              title={t('problem.import_invalid')}
              description={t('import.nothingApplied')}
              style={{ marginBottom: 16 }}
            />
            <RejectionsTable rows={invalidRows} title={t('import.invalidRows', { count: invalidRows.length })} />
          </Card>
        ) : (
          <ProblemAlert error={error} />
        )}
        {report && <ReportView report={report} />}
      </Space>
    </>
  );
}
