import { Alert, Checkbox, Form, Input, Select, Switch } from 'antd';
import { useEffect } from 'react';
import {
  passwordResetSchema,
  roleSchema,
  userCreateSchema,
  userUpdateSchema,
  type Role,
  type User,
} from '../../../contracts/platform.ts';
import { createUser, getUser, resetUserPassword, updateUser } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { isBlank, parseForm, zodRule } from '../../components/form-validation.ts';
import { useI18n, type Translate } from '../../i18n/i18n.tsx';
import type { Option } from './use-organisation.ts';
import { hasContactDetails } from './user-drawer.tsx';

interface UserValues {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  departmentId?: number | null;
  scopeRegionId?: number | null;
  phone?: string;
  email?: string;
  active?: boolean;
  unlock?: boolean;
}

const FIELDS = [
  'username',
  'displayName',
  'role',
  'password',
  'departmentId',
  'scopeRegionId',
  'phone',
  'email',
  'active',
];
const shape = userCreateSchema.shape;
const updateShape = userUpdateSchema.shape;
const orUndefined = <T,>(value: T | null | undefined) => (isBlank(value) ? undefined : (value as T));
const orNull = <T,>(value: T | null | undefined) => (isBlank(value) ? null : (value as T));

/** The roles as localised select options, in the contract's order. */
export const roleOptions = (t: Translate) =>
  roleSchema.options.map((role) => ({ value: role, label: t(`role.${role}`) }));

/** Handlers work cases of exactly one department, so they need one. */
function departmentRule(t: Translate) {
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_rule: unknown, value: unknown) => {
      if (getFieldValue('role') === 'handler' && isBlank(value)) throw new Error(t('users.departmentRequired'));
    },
  });
}

function OrganisationFields({ departments, districts }: { departments: Option[]; districts: Option[] }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item name="role" label={t('user.role')} required rules={[zodRule(roleSchema, t)]}>
        <Select options={roleOptions(t)} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(previous: UserValues, next: UserValues) => previous.role !== next.role}>
        {({ getFieldValue }) => (
          <Form.Item
            name="departmentId"
            label={t('user.department')}
            required={getFieldValue('role') === 'handler'}
            dependencies={['role']}
            rules={[departmentRule(t)]}
          >
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={departments} />
          </Form.Item>
        )}
      </Form.Item>
      <Form.Item name="scopeRegionId" label={t('user.scope')} extra={t('users.scopeHint')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={districts}
          placeholder={t('users.wholeCity')}
        />
      </Form.Item>
    </>
  );
}

interface UserFormProps {
  open: boolean;
  departments: Option[];
  districts: Option[];
  onClose: () => void;
  onSaved: () => void;
}

/** Creates a staff or citizen account with an initial password the user must change at first login. */
export function CreateUserModal({ open, departments, districts, onClose, onSaved }: UserFormProps) {
  const { t } = useI18n();
  const [form] = Form.useForm<UserValues>();

  const submit = async (values: UserValues) => {
    const body = parseForm(
      userCreateSchema,
      {
        username: values.username,
        displayName: values.displayName,
        role: values.role,
        password: values.password,
        departmentId: orUndefined(values.departmentId),
        scopeRegionId: orUndefined(values.scopeRegionId),
        phone: orUndefined(values.phone),
        email: orUndefined(values.email),
      },
      form,
      t,
    );
    if (!body) return;
    await createUser(body);
    onSaved();
  };

  return (
    <FormModal<UserValues>
      open={open}
      title={t('users.create')}
      name="user-create"
      form={form}
      initialValues={{ role: 'handler' }}
      onSubmit={submit}
      onClose={onClose}
      fields={FIELDS}
    >
      <Form.Item
        name="username"
        label={t('user.username')}
        required
        rules={[zodRule(shape.username, t, 'validation.usernameFormat')]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="displayName" label={t('user.displayName')} required rules={[zodRule(shape.displayName, t)]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('users.initialPassword')}
        extra={t('password.rule')}
        required
        rules={[zodRule(shape.password, t)]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <OrganisationFields departments={departments} districts={districts} />
      <Form.Item name="phone" label={t('user.phone')} rules={[zodRule(shape.phone, t, 'validation.phoneFormat')]}>
        <Input type="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item name="email" label={t('user.email')} rules={[zodRule(shape.email, t)]}>
        <Input type="email" autoComplete="off" />
      </Form.Item>
    </FormModal>
  );
}

/** The fields of a parsed update that differ from what the user has now. */
function changedFields<T extends Record<string, unknown>>(next: T, current: Record<string, unknown>): Partial<T> {
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => value !== undefined && value !== current[key]),
  ) as Partial<T>;
}

/**
 * The user with contact details, read from the server only while the edit
 * form is open: admins receive phone and email, and each read is audited.
 */
function useContactDetails(userId: number | undefined) {
  const remote = useRemote(async (signal) => (userId === undefined ? undefined : getUser(userId, signal)), [userId]);
  // An answer for an earlier user (or the one being replaced by a reload) must not fill this form.
  const detail = !remote.loading && remote.data?.id === userId ? remote.data : undefined;
  return {
    contacts: detail && hasContactDetails(detail) ? detail : undefined,
    loading: userId !== undefined && remote.loading,
    error: remote.error,
  };
}

/**
 * Changes a user's role, placement, status and contact details, and clears a
 * lockout. Only the fields the admin changed are sent (changing the role ends
 * the user's sessions, so it must not be sent unchanged); `version` guards
 * concurrent edits. Phone and email are sent only if they could be read.
 */
export function EditUserModal(props: UserFormProps & { user: User | undefined }) {
  const { open, user, departments, districts, onClose, onSaved } = props;
  const { t } = useI18n();
  const [form] = Form.useForm<UserValues>();
  const { contacts, loading, error } = useContactDetails(open ? user?.id : undefined);

  useEffect(() => {
    if (contacts) form.setFieldsValue({ phone: contacts.phone ?? undefined, email: contacts.email ?? undefined });
  }, [contacts, form]);

  const submit = async (values: UserValues) => {
    if (!user) return;
    const body = parseForm(
      userUpdateSchema,
      {
        version: user.version,
        displayName: values.displayName,
        role: values.role,
        departmentId: orNull(values.departmentId),
        scopeRegionId: orNull(values.scopeRegionId),
        ...(contacts && { phone: orNull(values.phone), email: orNull(values.email) }),
        active: values.active,
        unlock: values.unlock ? true : undefined,
      },
      form,
      t,
    );
    if (!body) return;
    const { version, ...fields } = body;
    const changes = changedFields(fields, { ...user, ...contacts });
    if (Object.keys(changes).length === 0) return;
    await updateUser(user.id, { version, ...changes });
    onSaved();
  };

  return (
    <FormModal<UserValues>
      open={open}
      title={t('users.edit', { name: user?.username ?? '' })}
      name="user-edit"
      form={form}
      initialValues={
        user && {
          displayName: user.displayName,
          role: user.role,
          departmentId: user.departmentId,
          scopeRegionId: user.scopeRegionId,
          active: user.active,
          unlock: false,
        }
      }
      onSubmit={submit}
      onClose={onClose}
      onConflict={onSaved}
      fields={FIELDS}
    >
      <Form.Item name="displayName" label={t('user.displayName')} required rules={[zodRule(shape.displayName, t)]}>
        <Input autoComplete="off" />
      </Form.Item>
      <OrganisationFields departments={departments} districts={districts} />
      {error && !loading && (
        <Alert type="warning" showIcon title={t('users.contactUnavailable')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item name="phone" label={t('user.phone')} rules={[zodRule(updateShape.phone, t, 'validation.phoneFormat')]}>
        <Input
          type="tel"
          autoComplete="off"
          disabled={!contacts}
          placeholder={loading ? t('common.loading') : undefined}
        />
      </Form.Item>
      <Form.Item
        name="email"
        label={t('user.email')}
        extra={contacts && t('users.viewAudited')}
        rules={[zodRule(updateShape.email, t)]}
      >
        <Input
          type="email"
          autoComplete="off"
          disabled={!contacts}
          placeholder={loading ? t('common.loading') : undefined}
        />
      </Form.Item>
      <Form.Item name="active" label={t('common.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
      {user?.locked && (
        <Form.Item name="unlock" valuePropName="checked">
          <Checkbox>{t('users.unlock')}</Checkbox>
        </Form.Item>
      )}
    </FormModal>
  );
}

/** Sets a new password for someone who forgot theirs; they must change it at their next login. */
export function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ newPassword: string }>();

  const submit = async (values: { newPassword: string }) => {
    if (!user) return;
    const body = parseForm(passwordResetSchema, values, form, t);
    if (body) await resetUserPassword(user.id, body.newPassword);
  };

  return (
    <FormModal<{ newPassword: string }>
      open={user !== undefined}
      title={t('users.resetPasswordOf', { name: user?.username ?? '' })}
      name="password-reset"
      form={form}
      onSubmit={submit}
      onClose={onClose}
      fields={['newPassword']}
    >
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('users.resetHint')}
        required
        rules={[zodRule(passwordResetSchema.shape.newPassword, t)]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}
