import type { Department } from '../../../contracts/platform.ts';
import { listDepartments } from '../../api/platform.ts';
import { useRemote } from '../../api/use-remote.ts';
import { localName, useI18n } from '../../i18n/i18n.tsx';

/** Enough for any city's departments in one select. */
const LIMIT = 500;

/** The city's departments (staff only: citizens pass false and make no request). */
export function useDepartments(enabled = true): { items: Department[]; loading: boolean } {
  const remote = useRemote(
    async (signal) => (enabled ? (await listDepartments({ limit: LIMIT }, signal)).items : []),
    [enabled],
  );
  return { items: remote.data ?? [], loading: remote.loading };
}

/** Department names by id, in the reader's language. */
export function useDepartmentNames(enabled = true): Map<number, string> {
  const { lang } = useI18n();
  const { items } = useDepartments(enabled);
  return new Map(items.map((department) => [department.id, localName(lang, department)]));
}
