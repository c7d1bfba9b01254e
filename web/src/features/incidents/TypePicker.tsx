import { type Ref, useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n';
import { Combobox } from './Combobox';
import { searchTypes, type TypeOption, typeOptions } from './catalog';
import { PriorityBadge } from './PriorityBadge';
import type { IncidentType } from './types';
import './incidents.messages';

/** Incident type autocomplete over the hierarchical catalogue ("Familia › Tipo"), by name and keywords. */
export function TypePicker({
  types,
  value,
  onChange,
  error,
  inputRef,
  required,
}: {
  types: readonly IncidentType[] | undefined;
  value: string | null;
  onChange: (code: string | null) => void;
  error?: string | null;
  inputRef?: Ref<HTMLInputElement>;
  required?: boolean;
}) {
  const { t } = useI18n();
  const options = useMemo(() => typeOptions(types ?? []), [types]);
  const selected = options.find((o) => o.type.code === value) ?? null;
  const [text, setText] = useState(selected?.label ?? '');

  // Follows the selection from outside (form reset, language switch renaming the types).
  useEffect(() => {
    setText(selected?.label ?? '');
  }, [selected?.label]);

  const matches = useMemo(
    () => (selected && text === selected.label ? [] : searchTypes(options, text)),
    [options, text, selected],
  );
  let status: string | null = null;
  if (!types) status = t('incidents.type.loading');
  else if (text.trim() && !selected && matches.length === 0)
    status = t('incidents.type.none', { query: text });
  else if (text.trim() && !selected) status = t('incidents.type.count', { count: matches.length });

  return (
    <Combobox<TypeOption>
      label={t('incidents.type.label')}
      hint={t('incidents.type.hint')}
      name="incidentType"
      required={required}
      error={error}
      inputRef={inputRef}
      value={text}
      onInputChange={(next) => {
        setText(next);
        if (value !== null && next !== selected?.label) onChange(null);
      }}
      options={matches}
      optionKey={(o) => o.type.code}
      renderOption={(o) => (
        <>
          <span>
            {o.type.parentCode ? (
              <>
                <small>{o.familyName} › </small>
                {o.type.name}
              </>
            ) : (
              <>
                {o.type.name} <small>({t('incidents.type.family')})</small>
              </>
            )}
          </span>
          <PriorityBadge priority={o.type.defaultPriority} />
        </>
      )}
      onSelect={(o) => {
        setText(o.label);
        onChange(o.type.code);
      }}
      status={status}
    />
  );
}
