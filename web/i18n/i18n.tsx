import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

/** The languages the web app speaks; zh-CN is the default. */
export type Lang = 'zh-CN' | 'en';

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Record<string, string | number>;

/** Looks a message up in the current language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Language names are shown in their own language, so either reader can find theirs. */
export const LANGUAGES: readonly { lang: Lang; label: string }[] = [
  { lang: 'zh-CN', label: '中文' },
  { lang: 'en', label: 'English' },
];

const STORAGE_KEY = 'minxin.lang';
const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.title = dictionaries[lang]['app.title'];
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible so the mistake is noticed. */
export function format(message: string, params?: MessageParams): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

/** Holds the chosen language, remembers it across visits and keeps `<html lang>` in step. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => {
    const initial = readStoredLang();
    applyLang(initial);
    return initial;
  });

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this visit only.
    }
    applyLang(next);
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const dictionary = dictionaries[lang];
    return { lang, setLang, t: (key, params) => format(dictionary[key], params) };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its setter and `t(key, params?)`. */
export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n must be used inside <I18nProvider>');
  return i18n;
}

/** Whether a computed key (like `problem.${code}`) names a message. */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(zhCN, key);

/** Picks the English name of a place or body when reading in English and one exists. */
export function localName(lang: Lang, named: { name: string; nameEn?: string | null }): string {
  return lang === 'en' && named.nameEn ? named.nameEn : named.name;
}

export type { MessageKey };
