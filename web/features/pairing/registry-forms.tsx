import { Button, Flex, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';

import { listRegions } from '../../api/platform.ts';
import { createCadre, createHousehold, getHousehold, listCadres, updateCadre, updateHousehold, type CadreView, type HouseholdView } from '../../api/pairing.ts';
import { useRemote } from '../../api/use-remote.ts';
import { FormModal } from '../../components/form-modal.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { localName, useI18n } from '../../i18n/i18n.tsx';

/**
 * The coordinator's forms for one registry record (docs/pairing.md): add or
 * edit a cadre or a household, and deactivate a cadre who leaves. Edits send
 * the version they were read at; a conflict reloads the list.
 */

type Location = { x: number; y: number } | { lat: number; lon: number };

interface LocationValues {
  x?: number | null;
  y?: number | null;
  lat?: number | null;
  lon?: number | null;
}

const locationOf = (values: LocationValues): Location =>
  values.lat !== undefined && values.lat !== null && values.lon !== undefined && values.lon !== null ? { lat: values.lat, lon: values.lon } : { x: values.x ?? 0, y: values.y ?? 0 };
const locationValues = (location: Location): LocationValues => ('x' in location ? { x: location.x, y: location.y } : { lat: location.lat, lon: location.lon });
const orNull = (text: string | undefined | null): string | null => (text && text.trim() ? text.trim() : null);

/** The location as x,y (km on the city's plane) or lat,lon. */
function LocationFields() {
  const { t } = useI18n();
  return (
    <>
      <Typography.Text type="secondary">{t('pairing.form.locationHint')}</Typography.Text>
      <Space wrap>
        <Form.Item name="x" label="x (km)">
          <InputNumber min={-10_000} max={10_000} />
        </Form.Item>
        <Form.Item name="y" label="y (km)">
          <InputNumber min={-10_000} max={10_000} />
        </Form.Item>
        <Form.Item name="lat" label={t('pairing.form.lat')}>
          <InputNumber min={-90} max={90} />
        </Form.Item>
        <Form.Item name="lon" label={t('pairing.form.lon')}>
          <InputNumber min={-180} max={180} />
        </Form.Item>
      </Space>
    </>
  );
}

interface CadreValues extends LocationValues {
  code: string;
  name: string;
  unit?: string;
  districtId: number;
  capacity: number;
  skills: string[];
  username?: string;
  active: boolean;
}

/** Adds a cadre (no `cadre` given) or edits one. */
export function CadreFormModal({ open, cadre, onClose, onSaved }: { open: boolean; cadre?: CadreView | undefined; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<CadreValues>();
  const districts = useRemote(async (signal) => (open ? (await listRegions({ level: 'district', limit: 500 }, signal)).items : []), [open]);
  const initial: Partial<CadreValues> = cadre
    ? { code: cadre.code, name: cadre.name, unit: cadre.unit ?? '', districtId: cadre.districtId, capacity: cadre.capacity, skills: cadre.skills, username: cadre.username ?? '', active: cadre.active, ...locationValues(cadre.location) }
    : { capacity: 3, skills: [], active: true };
  return (
    <FormModal<CadreValues>
      open={open}
      title={cadre ? t('pairing.form.editCadre', { code: cadre.code }) : t('pairing.form.addCadre')}
      name="pairing-cadre"
      form={form}
      initialValues={initial}
      fields={['code', 'name', 'unit', 'districtId', 'capacity', 'skills', 'username', 'active', 'x', 'y', 'lat', 'lon']}
      onClose={onClose}
      onConflict={onSaved}
      onSubmit={async (values) => {
        const fields = {
          name: values.name.trim(),
          unit: orNull(values.unit),
          districtId: values.districtId,
          location: locationOf(values),
          capacity: values.capacity,
          skills: values.skills ?? [],
          username: orNull(values.username),
          active: values.active,
        };
        if (cadre) await updateCadre(cadre.id, { ...fields, version: cadre.version });
        else await createCadre({ ...fields, code: values.code.trim() });
        onSaved();
      }}
    >
      <Form.Item name="code" label={t('pairing.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{1,64}$/ }]}>
        <Input disabled={Boolean(cadre)} />
      </Form.Item>
      <Form.Item name="name" label={t('pairing.form.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="unit" label={t('pairing.form.unit')} rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="districtId" label={t('pairing.form.district')} rules={[{ required: true }]}>
        <Select loading={districts.loading} options={(districts.data ?? []).map((region) => ({ value: region.id, label: localName(lang, region) }))} />
      </Form.Item>
      <LocationFields />
      <Form.Item name="capacity" label={t('pairing.form.capacity')} rules={[{ required: true }]}>
        <InputNumber min={0} max={1000} precision={0} />
      </Form.Item>
      <Form.Item name="skills" label={t('pairing.form.skills')}>
        <Select mode="tags" tokenSeparators={[',', ' ', '、']} options={['medical', 'legal', 'employment', 'education', 'elderly', 'disability'].map((value) => ({ value }))} />
      </Form.Item>
      <Form.Item name="username" label={t('pairing.form.username')}>
        <Input />
      </Form.Item>
      <Form.Item name="active" label={t('pairing.form.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

interface HouseholdValues extends LocationValues {
  code: string;
  communityId: number;
  difficulties: string[];
  needs: string[];
  members: number;
  contactPhone?: string;
  notes?: string;
  active: boolean;
}

/**
 * Adds a household (no `householdId`) or edits one: its page is read first
 * (an audited read) for the version and, when the reader may see them, the
 * contact phone and notes; a reader who may not see them does not send them.
 */
export function HouseholdFormModal({ open, householdId, onClose, onSaved }: { open: boolean; householdId?: number | undefined; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<HouseholdValues>();
  const [search, setSearch] = useState('');
  const communities = useRemote(async (signal) => (open ? (await listRegions({ level: 'community', limit: 100, ...(search ? { q: search } : {}) }, signal)).items : []), [open, search]);
  const current = useRemote(async (signal) => (open && householdId !== undefined ? getHousehold(householdId, signal) : undefined), [open, householdId]);
  const household = current.data;
  if (householdId !== undefined && !household) return open ? <ProblemAlert error={current.error} /> : null;
  const initial: Partial<HouseholdValues> = household
    ? {
        code: household.code,
        communityId: household.communityId,
        difficulties: household.difficulties,
        needs: household.needs,
        members: household.members,
        contactPhone: household.contact?.contactPhone ?? '',
        notes: household.contact?.notes ?? '',
        active: household.active,
        ...locationValues(household.location),
      }
    : { difficulties: [], needs: [], members: 1, active: true };
  const communityOptions = (communities.data ?? []).map((region) => ({ value: region.id, label: localName(lang, region) }));
  if (household && !communityOptions.some((option) => option.value === household.communityId)) communityOptions.unshift({ value: household.communityId, label: household.communityName });
  return (
    <FormModal<HouseholdValues>
      open={open}
      title={household ? t('pairing.form.editHousehold', { code: household.code }) : t('pairing.form.addHousehold')}
      name="pairing-household"
      form={form}
      initialValues={initial}
      fields={['code', 'communityId', 'difficulties', 'needs', 'members', 'contactPhone', 'notes', 'active', 'x', 'y', 'lat', 'lon']}
      onClose={onClose}
      onConflict={onSaved}
      onSubmit={async (values) => {
        const fields = {
          communityId: values.communityId,
          location: locationOf(values),
          difficulties: values.difficulties ?? [],
          needs: values.needs ?? [],
          members: values.members,
          active: values.active,
        };
        const contact = { contactPhone: orNull(values.contactPhone), notes: orNull(values.notes) };
        if (household) await updateHousehold(household.id, { ...fields, ...(household.contact ? contact : {}), version: household.version });
        else await createHousehold({ ...fields, ...contact, code: values.code.trim() });
        onSaved();
      }}
    >
      <Form.Item name="code" label={t('pairing.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{1,64}$/ }]}>
        <Input disabled={Boolean(household)} />
      </Form.Item>
      <Form.Item name="communityId" label={t('pairing.community')} rules={[{ required: true }]}>
        <Select showSearch filterOption={false} onSearch={setSearch} loading={communities.loading} options={communityOptions} />
      </Form.Item>
      <LocationFields />
      <Form.Item name="difficulties" label={t('pairing.difficulties')}>
        <Select mode="tags" tokenSeparators={[',', ' ', '、']} options={['低保', '残疾', '独居老人', '重病'].map((value) => ({ value }))} />
      </Form.Item>
      <Form.Item name="needs" label={t('pairing.needs')}>
        <Select mode="tags" tokenSeparators={[',', ' ', '、']} options={['medical', 'legal', 'employment', 'education', 'elderly', 'disability'].map((value) => ({ value }))} />
      </Form.Item>
      <Form.Item name="members" label={t('pairing.form.members')} rules={[{ required: true }]}>
        <InputNumber min={1} max={50} precision={0} />
      </Form.Item>
      {(!household || household.contact) && (
        <>
          <Form.Item name="contactPhone" label={t('pairing.form.contactPhone')} rules={[{ pattern: /^[0-9+\- ()]{3,40}$/ }]}>
            <Input />
          </Form.Item>
          <Form.Item name="notes" label={t('pairing.form.notes')} rules={[{ max: 2000 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      )}
      <Form.Item name="active" label={t('pairing.form.householdActive')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}

/** The cadres of the area with their load: add, edit, and deactivate one who leaves. */
export function CadresTab() {
  const { t } = useI18n();
  const [offset, setOffset] = useState(0);
  const [code, setCode] = useState('');
  const [editing, setEditing] = useState<{ cadre?: CadreView }>();
  const limit = 100;
  const remote = useRemote((signal) => listCadres({ limit, offset, ...(code ? { code } : {}) }, signal), [offset, code]);
  const deactivate = async (cadre: CadreView) => {
    await updateCadre(cadre.id, { version: cadre.version, active: false });
    remote.reload();
  };
  return (
    <Flex vertical gap={12}>
      <Space wrap>
        <Button type="primary" onClick={() => setEditing({})}>
          {t('pairing.form.addCadre')}
        </Button>
        <Input.Search allowClear aria-label={t('pairing.searchCadre')} placeholder={t('pairing.searchCadre')} style={{ width: 220 }} onSearch={(text) => (setOffset(0), setCode(text.trim()))} />
      </Space>
      <ProblemAlert error={remote.error} />
      <Table<CadreView>
        size="small"
        rowKey="id"
        loading={remote.loading}
        dataSource={remote.data?.items ?? []}
        scroll={{ x: true }}
        pagination={{ current: offset / limit + 1, pageSize: limit, total: remote.data?.total ?? 0, showSizeChanger: false, onChange: (page) => setOffset((page - 1) * limit) }}
        columns={[
          { title: t('pairing.code'), dataIndex: 'code' },
          { title: t('pairing.form.name'), dataIndex: 'name' },
          { title: t('pairing.form.district'), dataIndex: 'districtName' },
          { title: t('pairing.form.capacity'), dataIndex: 'capacity' },
          { title: t('pairing.form.load'), dataIndex: 'load' },
          { title: t('pairing.form.skills'), dataIndex: 'skills', render: (skills: string[]) => skills.map((skill) => <Tag key={skill}>{skill}</Tag>) },
          { title: t('common.status'), dataIndex: 'active', render: (active: boolean) => (active ? <Tag color="green">{t('pairing.form.activeTag')}</Tag> : <Tag>{t('pairing.form.inactiveTag')}</Tag>) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_value, cadre) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ cadre })}>
                  {t('common.edit')}
                </Button>
                {cadre.active && (
                  <Popconfirm title={t('pairing.form.deactivateConfirm', { name: cadre.name })} okText={t('pairing.form.deactivate')} cancelText={t('common.cancel')} onConfirm={() => deactivate(cadre)}>
                    <Button size="small" danger>
                      {t('pairing.form.deactivate')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <CadreFormModal open={editing !== undefined} cadre={editing?.cadre} onClose={() => setEditing(undefined)} onSaved={remote.reload} />
    </Flex>
  );
}

/** The edit button of a household row (coordinators and admins), opening the form. */
export function HouseholdEditButton({ household, onSaved }: { household: HouseholdView; onSaved: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={t('pairing.form.editHousehold', { code: household.code })}>
        {t('common.edit')}
      </Button>
      {open && <HouseholdFormModal open householdId={household.id} onClose={() => setOpen(false)} onSaved={onSaved} />}
    </>
  );
}

/** Opens the form for a new household. */
export function HouseholdAddButton({ onSaved }: { onSaved: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('pairing.form.addHousehold')}
      </Button>
      <HouseholdFormModal open={open} onClose={() => setOpen(false)} onSaved={onSaved} />
    </>
  );
}

