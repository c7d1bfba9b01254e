import { useI18n } from '../../i18n';
import { Button, Select, TextField } from '../../ui';

export type RowValues = Record<string, string>;

export interface RowColumn {
  key: string;
  label: string;
  type?: 'text' | 'number' | 'date' | 'money' | 'select';
  options?: readonly { value: string; label: string }[];
  required?: boolean;
}

/**
 * An editable list of rows (objectives, activities, budget lines, indicators…): every cell a labelled
 * control (the label names the row, e.g. "Código (fila 2)"), rows added and removed with buttons.
 */
export function RowsEditor({
  legend,
  name,
  columns,
  rows,
  onChange,
  addLabel,
}: {
  legend: string;
  name: string;
  columns: readonly RowColumn[];
  rows: RowValues[];
  onChange: (rows: RowValues[]) => void;
  addLabel: string;
}) {
  const { t } = useI18n();
  const set = (index: number, key: string, value: string) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)));
  return (
    <fieldset className="gr-fieldset" data-rows={name}>
      <legend>{legend}</legend>
      {rows.length === 0 ? <p className="muted">{t('gr.rows.none')}</p> : null}
      {rows.map((row, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
        <div key={index} className="gr-grid gr-rowbox" data-row={index}>
          {columns.map((c) => {
            const label = t('gr.rows.cell', { label: c.label, n: index + 1 });
            const value = row[c.key] ?? '';
            if (c.type === 'select') {
              return (
                <Select
                  key={c.key}
                  label={label}
                  required={c.required}
                  value={value}
                  placeholder={t('gr.choose')}
                  options={c.options ?? []}
                  onChange={(e) => set(index, c.key, e.target.value)}
                />
              );
            }
            return (
              <TextField
                key={c.key}
                label={label}
                required={c.required}
                type={c.type === 'date' ? 'date' : 'text'}
                inputMode={c.type === 'number' || c.type === 'money' ? 'decimal' : undefined}
                value={value}
                onChange={(e) => set(index, c.key, e.target.value)}
              />
            );
          })}
          <Button variant="ghost" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {t('gr.rows.remove', { n: index + 1 })}
          </Button>
        </div>
      ))}
      <div>
        <Button variant="secondary" onClick={() => onChange([...rows, {}])}>
          {addLabel}
        </Button>
      </div>
    </fieldset>
  );
}
