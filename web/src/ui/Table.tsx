import type { KeyboardEvent, ReactNode } from 'react';
import { Empty } from './states';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  /** Right-align numbers and money. */
  numeric?: boolean;
}

export interface TableProps<T> {
  /** Describes the table for screen readers; shown unless captionHidden. */
  caption: string;
  captionHidden?: boolean;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Makes rows activatable by click, Enter or Space (they become focusable). */
  onRowActivate?: (row: T) => void;
  selectedKey?: string | null;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
}

export function Table<T>({
  caption,
  captionHidden = false,
  columns,
  rows,
  rowKey,
  onRowActivate,
  selectedKey,
  empty,
}: TableProps<T>) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  const onKey = (row: T) => (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowActivate?.(row);
    }
  };
  return (
    // A named, focusable region: keyboard users can scroll a table wider than the screen.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be focusable (WCAG 2.1.1)
    <section className="table-wrap" aria-label={caption} tabIndex={0}>
      <table className="table">
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" style={c.numeric ? { textAlign: 'right' } : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const selected = selectedKey === key;
            const classes = [onRowActivate ? 'is-clickable' : '', selected ? 'is-selected' : '']
              .filter(Boolean)
              .join(' ');
            return (
              <tr
                key={key}
                className={classes || undefined}
                tabIndex={onRowActivate ? 0 : undefined}
                aria-selected={onRowActivate ? selected : undefined}
                onClick={onRowActivate ? () => onRowActivate(row) : undefined}
                onKeyDown={onRowActivate ? onKey(row) : undefined}
              >
                {columns.map((c) => (
                  <td key={c.key} style={c.numeric ? { textAlign: 'right' } : undefined}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
