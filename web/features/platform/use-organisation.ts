import type { Department, Region } from '../../../contracts/platform.ts';
import { listDepartments, listRegions } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { localName, useI18n } from '../../i18n/i18n.tsx';

/** Enough for any city's districts or departments in one select. */
const OPTIONS_LIMIT = 500;

export interface Option {
  value: number;
  label: string;
}

/**
 * The city's districts as select options (departments and scopes are tied to
 * districts). Screens that only need them for admin forms pass `enabled=false`
 * for other roles and so make no request.
 */
export function useDistrictOptions(enabled = true): { options: Option[]; loading: boolean } {
  const { lang } = useI18n();
  const districts = useRemote(
    async (signal) => (enabled ? listRegions({ level: 'district', limit: OPTIONS_LIMIT }, signal) : undefined),
    [enabled],
  );
  const options = (districts.data?.items ?? []).map((region: Region) => ({
    value: region.id,
    label: localName(lang, region),
  }));
  return { options, loading: districts.loading };
}

/** All departments the user may see, as select options. */
export function useDepartmentOptions(): { options: Option[]; loading: boolean } {
  const { lang } = useI18n();
  const departments = useRemote((signal) => listDepartments({ limit: OPTIONS_LIMIT }, signal), []);
  const options = (departments.data?.items ?? []).map((department: Department) => ({
    value: department.id,
    label: localName(lang, department),
  }));
  return { options, loading: departments.loading };
}
