import { Alert } from 'antd';
import type { CSSProperties } from 'react';
import type { Problem } from '../../contracts/platform.ts';
import type { ApiError } from '../api/client.ts';
import { isMessageKey, useI18n, type Translate } from '../i18n/i18n.tsx';

/**
 * A one-line, translated summary of a problem. The server's `detail` is
 * English-or-Chinese prose for one case; known codes get a phrase in the
 * reader's language, unknown ones fall back to the server's title.
 */
export function describeProblem(t: Translate, problem: Problem): string {
  const key = `problem.${problem.code}`;
  return isMessageKey(key) ? t(key) : problem.title;
}

/** Shows a failed call: translated summary, the server's `detail` beneath it. */
export function ProblemAlert({ error, style }: { error: ApiError | undefined; style?: CSSProperties }) {
  const { t } = useI18n();
  if (!error) return null;
  const summary = describeProblem(t, error.problem);
  const detail = error.problem.detail && error.problem.detail !== summary ? error.problem.detail : undefined;
  return <Alert type="error" showIcon role="alert" title={summary} description={detail} style={style} />;
}
