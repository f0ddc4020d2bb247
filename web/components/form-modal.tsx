import { App, Form, Modal, type FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { showFieldErrors, type FieldOf } from './form-validation.ts';
import { ProblemAlert } from './problem-alert.tsx';

export interface FormModalProps<Values> {
  open: boolean;
  title: string;
  /** Form name; antd derives input ids (and so label `for` targets) from it. */
  name: string;
  form: FormInstance<Values>;
  initialValues?: Partial<Values>;
  /** Saves; an ApiError it throws is shown in the modal, next to the fields where possible. */
  onSubmit: (values: Values) => Promise<void>;
  onClose: () => void;
  /** Called after a 409 `version_conflict`: someone else saved first, so the page reloads. */
  onConflict?: () => void;
  /** Form fields the server's `errors[].path` may point at. */
  fields: readonly string[];
  fieldOf?: FieldOf;
  children: ReactNode;
}

/**
 * A modal holding a form whose Save button is a real submit button, so Enter
 * saves too. Handles the common outcomes of a save: success, field errors,
 * other problems, and concurrent edits.
 */
export function FormModal<Values>(props: FormModalProps<Values>) {
  const { open, title, name, form, initialValues, onSubmit, onClose, onConflict, fields, fieldOf, children } = props;
  const { t } = useI18n();
  const { message } = App.useApp();
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  const finish = async (values: Values) => {
    setSaving(true);
    setError(undefined);
    try {
      await onSubmit(values);
      message.success(t('common.saved'));
      onClose();
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      if (caught.code === 'version_conflict') {
        message.warning(t('problem.version_conflict'));
        onConflict?.();
        onClose();
      } else if (!showFieldErrors(form, caught, fields, fieldOf)) {
        setError(caught);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ htmlType: 'submit', loading: saving }}
      destroyOnHidden
      mask={{ closable: false }}
      modalRender={(dialog) => (
        <Form<Values>
          form={form}
          name={name}
          layout="vertical"
          initialValues={initialValues}
          onFinish={finish}
          clearOnDestroy
          scrollToFirstError
        >
          {dialog}
        </Form>
      )}
    >
      <ProblemAlert error={error} style={{ marginBottom: 16 }} />
      {children}
    </Modal>
  );
}
