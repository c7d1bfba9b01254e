import { type Ref, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api';
import { Combobox, type Place } from '../../features/incidents';
import { useI18n } from '../../i18n';

const DEBOUNCE_MS = 200;

/** Place search over GET /geo/search (departments, municipalities, districts), as an autocomplete. */
export function PlaceSearch({
  text,
  onTextChange,
  onSelect,
  inputRef,
}: {
  text: string;
  onTextChange: (text: string) => void;
  onSelect: (place: Place) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { t } = useI18n();
  const [results, setResults] = useState<Place[]>([]);
  const [state, setState] = useState<'idle' | 'searching' | 'done' | 'error'>('idle');
  const [message, setMessage] = useState<string | null>(null);
  const chosen = useRef<string | null>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2 || q === chosen.current) {
      setResults([]);
      setState('idle');
      return;
    }
    let current = true;
    setState('searching');
    const timer = window.setTimeout(() => {
      unwrap(
        api.GET('/api/v1/geo/search', {
          params: { query: { q, limit: 8, kind: ['department', 'municipality', 'district'] } },
        }),
      ).then(
        (places) => {
          if (!current) return;
          setResults(places);
          setState('done');
        },
        (error: unknown) => {
          if (!current) return;
          setResults([]);
          setState('error');
          setMessage(error instanceof Error ? error.message : String(error));
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [text]);

  let status: string | null = null;
  if (state === 'searching') status = t('callTaker.place.searching');
  else if (state === 'error') status = message;
  else if (state === 'done') {
    status =
      results.length === 0
        ? t('callTaker.place.none', { query: text.trim() })
        : t('callTaker.place.count', { count: results.length });
  }

  return (
    <Combobox<Place>
      label={t('callTaker.place')}
      hint={t('callTaker.placeHint')}
      name="place"
      inputRef={inputRef}
      value={text}
      onInputChange={(next) => {
        chosen.current = null;
        onTextChange(next);
      }}
      options={state === 'done' ? results : []}
      optionKey={(p) => `${p.kind}:${p.id}`}
      renderOption={(p) => (
        <>
          <span>
            {p.name} <small>{p.label !== p.name ? `· ${p.label}` : ''}</small>
          </span>
          <small>{t(`callTaker.place.kind.${p.kind}`)}</small>
        </>
      )}
      onSelect={(p) => {
        chosen.current = p.label;
        setResults([]);
        setState('idle');
        onTextChange(p.label);
        onSelect(p);
      }}
      status={status}
    />
  );
}
