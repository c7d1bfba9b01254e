import { type KeyboardEvent, type ReactNode, type Ref, useEffect, useId, useRef, useState } from 'react';
import { Field } from '../../ui';

export interface ComboboxProps<T> {
  label: string;
  /** Text in the input (controlled). */
  value: string;
  onInputChange: (text: string) => void;
  options: readonly T[];
  optionKey: (option: T) => string;
  renderOption: (option: T) => ReactNode;
  onSelect: (option: T) => void;
  /** Shown under the input while nothing is listed (loading, "no results"); announced politely. */
  status?: string | null;
  hint?: ReactNode;
  error?: string | null;
  required?: boolean;
  name?: string;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
  disabled?: boolean;
}

/**
 * Autocomplete input over a listbox (ARIA 1.2 combobox pattern): typing opens the list, ↑/↓ move the
 * active option (the first is active by default), Enter picks it and lets the event bubble (so a form
 * can move on to the next field), Escape closes the list without bubbling, Tab leaves. Mouse clicks pick
 * too (without stealing focus from the input).
 */
export function Combobox<T>({
  label,
  value,
  onInputChange,
  options,
  optionKey,
  renderOption,
  onSelect,
  status,
  hint,
  error,
  required,
  name,
  placeholder,
  inputRef,
  disabled,
}: ComboboxProps<T>) {
  const listId = useId();
  const statusId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const expanded = open && options.length > 0;
  const safeActive = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (index: number) => `${listId}-opt-${index}`;

  // The active option stays in view while moving with the arrows.
  useEffect(() => {
    if (!expanded) return;
    const element = listRef.current?.querySelector(`[data-index="${safeActive}"]`);
    if (element instanceof HTMLElement && typeof element.scrollIntoView === 'function') {
      element.scrollIntoView({ block: 'nearest' });
    }
  }, [expanded, safeActive]);

  const pick = (option: T) => {
    onSelect(option);
    setOpen(false);
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(event.key === 'ArrowDown' ? 0 : Math.max(0, options.length - 1));
        return;
      }
      if (options.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((safeActive + step + options.length) % options.length);
    } else if (event.key === 'Home' && expanded) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && expanded) {
      event.preventDefault();
      setActive(options.length - 1);
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      const option = options[safeActive];
      if (expanded && option) pick(option);
    } else if (event.key === 'Escape' && open) {
      // Consumed here: the form's own Escape (clear) must not run.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {(control) => (
        <div className="combo">
          <input
            {...control}
            ref={inputRef}
            className="input"
            type="text"
            role="combobox"
            name={name}
            placeholder={placeholder}
            autoComplete="off"
            spellCheck={false}
            disabled={disabled}
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-activedescendant={expanded ? optionId(safeActive) : undefined}
            aria-describedby={
              [control['aria-describedby'], status ? statusId : undefined].filter(Boolean).join(' ') ||
              undefined
            }
            value={value}
            onChange={(event) => {
              onInputChange(event.target.value);
              setOpen(true);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => setOpen(false)}
          />
          <div
            ref={listRef}
            id={listId}
            role="listbox"
            aria-label={label}
            className="combo__list"
            hidden={!expanded}
          >
            {expanded
              ? options.map((option, index) => (
                  // biome-ignore lint/a11y/useFocusableInteractive: combobox pattern — focus stays in the input (aria-activedescendant); the keyboard is handled there
                  // biome-ignore lint/a11y/useKeyWithClickEvents: same — ↑/↓/Enter on the input pick options
                  <div
                    key={optionKey(option)}
                    id={optionId(index)}
                    data-index={index}
                    role="option"
                    aria-selected={index === safeActive}
                    className={index === safeActive ? 'combo__option is-active' : 'combo__option'}
                    onMouseDown={(event) => event.preventDefault()}
                    onMouseMove={() => index !== safeActive && setActive(index)}
                    onClick={() => pick(option)}
                  >
                    {renderOption(option)}
                  </div>
                ))
              : null}
          </div>
          <span id={statusId} className="field__hint" aria-live="polite">
            {status ?? ''}
          </span>
        </div>
      )}
    </Field>
  );
}
