import { Form, Input, Select, Switch } from 'antd';
import { departmentCreateSchema, departmentUpdateSchema, type Department } from '../../../contracts/platform.ts';
import { createDepartment, updateDepartment } from '../../api/platform.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { isBlank, parseForm, zodRule } from '../../components/form-validation.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Option } from './use-organisation.ts';

interface DepartmentValues {
  code: string;
  name: string;
  nameEn?: string;
  districtId?: number | null;
  areas?: string[];
  contactPhone?: string;
  contactEmail?: string;
  address?: string;
  active?: boolean;
}

const FIELDS = ['code', 'name', 'nameEn', 'districtId', 'areas', 'contactPhone', 'contactEmail', 'address', 'active'];
const shape = departmentCreateSchema.shape;

/** Blank optional inputs: left out when creating, cleared (null) when editing. */
const orNull = (value: string | number | null | undefined) => (isBlank(value) ? null : value);
const orUndefined = (value: string | number | null | undefined) => (isBlank(value) ? undefined : value);

/**
 * Creates a department (`department` undefined) or edits one. The code is
 * the department's key in imports and cannot change afterwards.
 */
export function DepartmentFormModal(props: {
  open: boolean;
  department: Department | undefined;
  districts: Option[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { open, department, districts, onClose, onSaved } = props;
  const { t } = useI18n();
  const [form] = Form.useForm<DepartmentValues>();
  const editing = department !== undefined;

  const submit = async (values: DepartmentValues) => {
    if (department) {
      const body = parseForm(
        departmentUpdateSchema,
        {
          version: department.version,
          name: values.name,
          nameEn: orNull(values.nameEn),
          districtId: orNull(values.districtId),
          areas: values.areas ?? [],
          contactPhone: orNull(values.contactPhone),
          contactEmail: orNull(values.contactEmail),
          address: orNull(values.address),
          active: values.active,
        },
        form,
        t,
      );
      if (!body) return;
      await updateDepartment(department.id, body);
    } else {
      const body = parseForm(
        departmentCreateSchema,
        {
          code: values.code,
          name: values.name,
          nameEn: orUndefined(values.nameEn),
          districtId: orUndefined(values.districtId),
          areas: values.areas ?? [],
          contactPhone: orUndefined(values.contactPhone),
          contactEmail: orUndefined(values.contactEmail),
          address: orUndefined(values.address),
        },
        form,
        t,
      );
      if (!body) return;
      await createDepartment(body);
    }
    onSaved();
  };

  return (
    <FormModal<DepartmentValues>
      open={open}
      title={editing ? t('departments.edit') : t('departments.create')}
      name={editing ? 'department-edit' : 'department-create'}
      form={form}
      initialValues={
        department
          ? {
              code: department.code,
              name: department.name,
              nameEn: department.nameEn ?? undefined,
              districtId: department.districtId,
              areas: department.areas,
              contactPhone: department.contactPhone ?? undefined,
              contactEmail: department.contactEmail ?? undefined,
              address: department.address ?? undefined,
              active: department.active,
            }
          : { areas: [] }
      }
      onSubmit={submit}
      onClose={onClose}
      onConflict={onSaved}
      fields={FIELDS}
    >
      <Form.Item
        name="code"
        label={t('departments.code')}
        required={!editing}
        rules={editing ? [] : [zodRule(shape.code, t, 'validation.codeFormat')]}
      >
        <Input disabled={editing} autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('departments.name')} required rules={[zodRule(shape.name, t)]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('departments.nameEn')} rules={[zodRule(shape.nameEn, t)]}>
        <Input lang="en" />
      </Form.Item>
      <Form.Item name="districtId" label={t('departments.district')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={districts} />
      </Form.Item>
      <Form.Item name="areas" label={t('departments.areas')} extra={t('departments.areasHint')}>
        <Select mode="tags" tokenSeparators={[';', '；', ',', '，']} open={false} suffixIcon={null} />
      </Form.Item>
      <Form.Item
        name="contactPhone"
        label={t('departments.contactPhone')}
        rules={[zodRule(shape.contactPhone, t, 'validation.phoneFormat')]}
      >
        <Input type="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item name="contactEmail" label={t('departments.contactEmail')} rules={[zodRule(shape.contactEmail, t)]}>
        <Input type="email" autoComplete="off" />
      </Form.Item>
      <Form.Item name="address" label={t('departments.address')} rules={[zodRule(shape.address, t)]}>
        <Input />
      </Form.Item>
      {editing && (
        <Form.Item name="active" label={t('common.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      )}
    </FormModal>
  );
}
