import type { Lang } from '../i18n/i18n.tsx';

/** A server timestamp (ISO 8601) as local date and time in the reader's language; '—' when absent. */
export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The first characters of a hash, enough to compare two entries by eye. */
export const shortHash = (hash: string): string => (hash.length > 12 ? `${hash.slice(0, 12)}…` : hash);
