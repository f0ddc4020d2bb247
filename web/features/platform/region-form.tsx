import { Col, Form, Input, InputNumber, Row, Switch } from 'antd';
import { regionCreateSchema, regionUpdateSchema, type Region } from '../../../contracts/platform.ts';
import { createRegion, updateRegion } from '../../api/platform.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { isBlank, parseForm, zodRule, type FieldOf } from '../../components/form-validation.ts';
import { localName, useI18n, type Translate } from '../../i18n/i18n.tsx';

interface RegionValues {
  code: string;
  name: string;
  nameEn?: string;
  lng?: number | null;
  lat?: number | null;
  active?: boolean;
}

const CREATE_FIELDS = ['code', 'name', 'nameEn', 'lng', 'lat'];
const EDIT_FIELDS = ['name', 'nameEn', 'lng', 'lat', 'active'];

/** The contract keeps the centroid as one [lng, lat] pair; the form shows two inputs. */
const fieldOfRegion: FieldOf = (path) => {
  if (path[0] === 'centroid') return path[1] === 1 ? 'lat' : 'lng';
  return typeof path[0] === 'string' ? path[0] : undefined;
};

function centroidOf(values: RegionValues): [number, number] | undefined {
  return isBlank(values.lng) || isBlank(values.lat) ? undefined : [Number(values.lng), Number(values.lat)];
}

/** Longitude and latitude go together: both or neither, so the empty one of a half-filled pair is flagged. */
function pairedRule(t: Translate, other: 'lng' | 'lat') {
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_rule: unknown, value: unknown) => {
      if (isBlank(value) && !isBlank(getFieldValue(other))) throw new Error(t('regions.centroidPair'));
    },
  });
}

function CentroidInputs() {
  const { t } = useI18n();
  return (
    <Row gutter={12}>
      <Col span={12}>
        <Form.Item name="lng" label={t('regions.lng')} dependencies={['lat']} rules={[pairedRule(t, 'lat')]}>
          <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="lat" label={t('regions.lat')} dependencies={['lng']} rules={[pairedRule(t, 'lng')]}>
          <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** Adds a region below `parent` (a district below the city, a street below a district …). */
export function CreateRegionModal(props: {
  parent: Region | undefined;
  onClose: () => void;
  onCreated: (region: Region) => void;
}) {
  const { parent, onClose, onCreated } = props;
  const { t, lang } = useI18n();
  const [form] = Form.useForm<RegionValues>();

  const submit = async (values: RegionValues) => {
    if (!parent) return;
    const body = parseForm(
      regionCreateSchema,
      {
        parentId: parent.id,
        code: values.code,
        name: values.name,
        nameEn: isBlank(values.nameEn) ? undefined : values.nameEn,
        centroid: centroidOf(values),
      },
      form,
      t,
      fieldOfRegion,
    );
    if (body) onCreated(await createRegion(body));
  };

  return (
    <FormModal<RegionValues>
      open={parent !== undefined}
      title={t('regions.createIn', { parent: parent ? localName(lang, parent) : '' })}
      name="region-create"
      form={form}
      onSubmit={submit}
      onClose={onClose}
      fields={CREATE_FIELDS}
      fieldOf={fieldOfRegion}
    >
      <Form.Item
        name="code"
        label={t('regions.code')}
        required
        rules={[zodRule(regionCreateSchema.shape.code, t, 'validation.codeFormat')]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('regions.name')} required rules={[zodRule(regionCreateSchema.shape.name, t)]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('regions.nameEn')} rules={[zodRule(regionCreateSchema.shape.nameEn, t)]}>
        <Input lang="en" />
      </Form.Item>
      <CentroidInputs />
    </FormModal>
  );
}

/** Renames a region, sets its centroid or retires it; `version` guards against overwriting a concurrent edit. */
export function EditRegionModal(props: {
  region: Region | undefined;
  onClose: () => void;
  onSaved: (region: Region) => void;
  onConflict: () => void;
}) {
  const { region, onClose, onSaved, onConflict } = props;
  const { t, lang } = useI18n();
  const [form] = Form.useForm<RegionValues>();

  const submit = async (values: RegionValues) => {
    if (!region) return;
    const body = parseForm(
      regionUpdateSchema,
      {
        version: region.version,
        name: values.name,
        nameEn: isBlank(values.nameEn) ? null : values.nameEn,
        centroid: centroidOf(values) ?? null,
        active: values.active,
      },
      form,
      t,
      fieldOfRegion,
    );
    if (body) onSaved(await updateRegion(region.id, body));
  };

  return (
    <FormModal<RegionValues>
      open={region !== undefined}
      title={t('regions.edit', { name: region ? localName(lang, region) : '' })}
      name="region-edit"
      form={form}
      initialValues={
        region && {
          code: region.code,
          name: region.name,
          nameEn: region.nameEn ?? undefined,
          lng: region.centroid?.[0],
          lat: region.centroid?.[1],
          active: region.active,
        }
      }
      onSubmit={submit}
      onClose={onClose}
      onConflict={onConflict}
      fields={EDIT_FIELDS}
      fieldOf={fieldOfRegion}
    >
      <Form.Item name="code" label={t('regions.code')}>
        <Input disabled />
      </Form.Item>
      <Form.Item name="name" label={t('regions.name')} required rules={[zodRule(regionCreateSchema.shape.name, t)]}>
        <Input />
      </Form.Item>
      <Form.Item name="nameEn" label={t('regions.nameEn')} rules={[zodRule(regionCreateSchema.shape.nameEn, t)]}>
        <Input lang="en" />
      </Form.Item>
      <CentroidInputs />
      <Form.Item name="active" label={t('common.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}
