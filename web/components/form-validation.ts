import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { z } from 'zod';
import { ApiError } from '../api/client.ts';
import type { MessageKey, Translate } from '../i18n/i18n.tsx';

type Issue = z.core.$ZodIssue;

/** Empty inputs mean "not given": optional contract fields are then left out. */
export const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * Turns a zod issue into a sentence in the reader's language. The contract's
 * own messages are English, so only their kind is used; `formatHint` explains
 * a pattern (like "letters, digits, - and _") in the reader's words.
 */
export function describeIssue(t: Translate, issue: Issue, formatHint?: MessageKey): string {
  switch (issue.code) {
    case 'invalid_type':
      return t('validation.required');
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? t('validation.required')
          : t('validation.minLength', { min: String(issue.minimum) });
      }
      if (issue.origin === 'array') return t('validation.required');
      return t('validation.min', { min: String(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.maxLength', { max: String(issue.maximum) });
      if (issue.origin === 'array') return t('validation.maxItems', { max: String(issue.maximum) });
      return t('validation.max', { max: String(issue.maximum) });
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      return formatHint ? t(formatHint) : t('validation.format');
    default:
      return t('validation.invalid');
  }
}

/**
 * An antd Form rule that checks one field against its contract schema, so the
 * browser rejects exactly what the server would, before the round trip.
 */
export function zodRule(schema: z.ZodType, t: Translate, formatHint?: MessageKey): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      const result = schema.safeParse(isBlank(value) ? undefined : value);
      if (!result.success && result.error.issues[0]) {
        throw new Error(describeIssue(t, result.error.issues[0], formatHint));
      }
    },
  };
}

/** Maps a contract path (['centroid', 0]) to the form field that holds it; by default the first segment. */
export type FieldOf = (path: readonly PropertyKey[]) => string | undefined;
const firstSegment: FieldOf = (path) => (typeof path[0] === 'string' ? path[0] : undefined);

/**
 * Parses a whole form body with its contract schema (trimming, lower-casing,
 * defaults). On failure the issues are put next to their fields and
 * `undefined` is returned.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  form: FormInstance,
  t: Translate,
  fieldOf: FieldOf = firstSegment,
): z.output<S> | undefined {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  form.setFields(
    result.error.issues.map((issue) => ({
      name: fieldOf(issue.path) ?? '',
      errors: [describeIssue(t, issue)],
    })),
  );
  return undefined;
}

/** Splits a problem path like `body/code`, `/centroid/0` or `email` into segments. */
function splitPath(path: string): PropertyKey[] {
  return path
    .replace(/^\/+/, '')
    .split(/[./]/)
    .filter((segment) => segment !== '' && segment !== 'body')
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/**
 * Puts the server's field errors (`problem.errors`) next to the fields that
 * caused them. Returns true when every error found a field, so the caller can
 * skip a redundant alert.
 */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  fieldOf: FieldOf = firstSegment,
): boolean {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return false;
  let placedAll = true;
  const byField = new Map<string, string[]>();
  for (const { path, message } of error.problem.errors) {
    const field = fieldOf(splitPath(path));
    if (field && fields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), message]);
    else placedAll = false;
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return placedAll;
}
