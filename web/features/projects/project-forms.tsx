import { Form, Input, InputNumber, Select } from 'antd';
import { FUNDING_SOURCES, PROJECT_CATEGORIES } from '../../../contracts/projects.ts';
import { listDepartments, listRegions } from '../../api/platform.ts';
import { addBudgetLine, addMilestone, addPayment, createProject } from '../../api/projects.ts';
import { useRemote } from '../../api/use-remote.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';
import { categoryLabel } from './projects-ui.tsx';

const day = (value: string | undefined | null): string | null => (value ? value.trim() : null);

/** A calendar day typed as YYYY-MM-DD (the API's form; no date library needed). */
const DAY_RULE = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' };

interface ProjectValues {
  code: string;
  name: string;
  category: string;
  leadDepartmentId: number;
  districtId?: number;
  year: number;
  location?: string;
  latitude?: number;
  longitude?: number;
  beneficiaries?: number;
  plannedStart?: string;
  plannedEnd?: string;
}

/** Registers a project (coordinators and admins). */
export function ProjectCreateModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (id: number) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<ProjectValues>();
  const departments = useRemote(async (signal) => (open ? (await listDepartments({ limit: 500 }, signal)).items : []), [open]);
  const districts = useRemote(async (signal) => (open ? (await listRegions({ level: 'district', limit: 500 }, signal)).items : []), [open]);
  return (
    <FormModal<ProjectValues>
      open={open}
      title={t('projects.create')}
      name="project-create"
      form={form}
      initialValues={{ year: new Date().getFullYear(), category: 'housing' }}
      fields={['code', 'name', 'category', 'leadDepartmentId', 'districtId', 'year', 'location', 'latitude', 'longitude', 'beneficiaries', 'plannedStart', 'plannedEnd']}
      onClose={onClose}
      onSubmit={async (values) => {
        const created = await createProject({
          code: values.code,
          name: values.name,
          category: values.category,
          leadDepartmentId: values.leadDepartmentId,
          districtId: values.districtId ?? null,
          year: values.year,
          location: values.location || null,
          latitude: values.latitude ?? null,
          longitude: values.longitude ?? null,
          beneficiaries: values.beneficiaries ?? null,
          plannedStart: day(values.plannedStart),
          plannedEnd: day(values.plannedEnd),
        });
        onSaved(created.id);
      }}
    >
      <Form.Item name="code" label={t('projects.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{1,40}$/ }]}>
        <Input placeholder="MS-2027-001" />
      </Form.Item>
      <Form.Item name="name" label={t('projects.name')} rules={[{ required: true, whitespace: true }]}>
        <Input />
      </Form.Item>
      <Form.Item name="category" label={t('projects.categoryLabel')} rules={[{ required: true }]}>
        <Select options={PROJECT_CATEGORIES.map((value) => ({ value, label: categoryLabel(t, value) }))} />
      </Form.Item>
      <Form.Item name="leadDepartmentId" label={t('projects.leadDepartment')} rules={[{ required: true }]}>
        <Select showSearch optionFilterProp="label" loading={departments.loading} options={(departments.data ?? []).map((department) => ({ value: department.id, label: localName(lang, department) }))} />
      </Form.Item>
      <Form.Item name="districtId" label={t('projects.district')}>
        <Select allowClear options={(districts.data ?? []).map((region) => ({ value: region.id, label: localName(lang, region) }))} />
      </Form.Item>
      <Form.Item name="year" label={t('projects.year')} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} />
      </Form.Item>
      <Form.Item name="location" label={t('projects.location')}>
        <Input />
      </Form.Item>
      <Form.Item name="latitude" label={t('projects.latitude')}>
        <InputNumber min={-90} max={90} step={0.0001} />
      </Form.Item>
      <Form.Item name="longitude" label={t('projects.longitude')}>
        <InputNumber min={-180} max={180} step={0.0001} />
      </Form.Item>
      <Form.Item name="beneficiaries" label={t('projects.beneficiaries')}>
        <InputNumber min={0} />
      </Form.Item>
      <Form.Item name="plannedStart" label={t('projects.plannedStart')} rules={[DAY_RULE]}>
        <Input placeholder="YYYY-MM-DD" />
      </Form.Item>
      <Form.Item name="plannedEnd" label={t('projects.plannedEnd')} rules={[DAY_RULE]}>
        <Input placeholder="YYYY-MM-DD" />
      </Form.Item>
    </FormModal>
  );
}

type MoneyKind = 'budget' | 'payment' | 'milestone';

/** Adds a budget line, a payment (coordinators and admins) or a milestone (also the lead department's handlers). */
export function ProjectItemModal({ kind, projectId, onClose, onSaved }: { kind: MoneyKind; projectId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ fundingSource?: string; description?: string; year?: number; amount?: number; paidOn?: string; payee?: string; purpose?: string; title?: string; plannedDate?: string }>();
  const title: MessageKey = kind === 'budget' ? 'projects.addBudgetLine' : kind === 'payment' ? 'projects.addPayment' : 'projects.addMilestone';
  return (
    <FormModal
      open
      title={t(title)}
      name={`project-${kind}`}
      form={form}
      initialValues={{ year: new Date().getFullYear(), fundingSource: 'municipal' }}
      fields={['fundingSource', 'description', 'year', 'amount', 'paidOn', 'payee', 'purpose', 'title', 'plannedDate']}
      onClose={onClose}
      onSubmit={async (values) => {
        if (kind === 'budget') await addBudgetLine(projectId, { fundingSource: values.fundingSource!, description: values.description!, year: values.year!, amount: values.amount! });
        else if (kind === 'payment') await addPayment(projectId, { paidOn: day(values.paidOn)!, amount: values.amount!, payee: values.payee!, ...(values.purpose && { purpose: values.purpose }) });
        else await addMilestone(projectId, { title: values.title!, plannedDate: day(values.plannedDate)! });
        onSaved();
      }}
    >
      {kind === 'budget' && (
        <>
          <Form.Item name="fundingSource" label={t('projects.fundingSource')} rules={[{ required: true }]}>
            <Select options={FUNDING_SOURCES.map((value) => ({ value, label: t(`projects.funding.${value}`) }))} />
          </Form.Item>
          <Form.Item name="description" label={t('projects.description')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="year" label={t('projects.year')} rules={[{ required: true }]}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </>
      )}
      {kind === 'payment' && (
        <>
          <Form.Item name="paidOn" label={t('projects.paidOn')} rules={[{ required: true }, DAY_RULE]}>
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="payee" label={t('projects.payee')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="purpose" label={t('projects.purpose')}>
            <Input />
          </Form.Item>
        </>
      )}
      {kind !== 'milestone' && (
        <Form.Item name="amount" label={t('projects.amount')} rules={[{ required: true }]}>
          <InputNumber min={0} step={0.01} style={{ width: 200 }} />
        </Form.Item>
      )}
      {kind === 'milestone' && (
        <>
          <Form.Item name="title" label={t('projects.milestone')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="plannedDate" label={t('projects.plannedDate')} rules={[{ required: true }, DAY_RULE]}>
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}
