/**
 * The one editor of a list of rows (mappings, chained profiles, aliases): a section with its title and help, each row
 * with its fields and a Remove button, the line shown while there is none, and an Add button. Each editor only says
 * what its rows' fields are.
 */
import type { ComponentChildren } from 'preact';
import { t } from '@/i18n/translate';
import type { DraftRows } from '../options-store';

/** What a row's fields are given: the row, its screen-reader suffix and how to change it. */
export interface RowFieldsProps<Row> {
  row: Row;
  /** Appended to each label in the row for screen readers (" of mapping 2"). */
  which: string;
  change: (patch: Partial<Row>) => void;
}

interface RowEditorProps<Row extends { key: string }> {
  /** The id of the section's heading. */
  titleId: string;
  title: string;
  help: string;
  /** What one row is called ("mapping"), in its labels' suffix and its Remove button's name. */
  rowName: string;
  /** The row's grid in ui.css (`.row.mapping`). */
  rowClass: string;
  rows: DraftRows<Row>;
  /** The name the Remove button adds to the row's number (a profile or alias name), '' while there is none. */
  nameOf: (row: Row) => string;
  /** The fields of the row's first line, before its Remove button. */
  fields: (props: RowFieldsProps<Row>) => ComponentChildren;
  /** The lines under them, full width. */
  below?: (props: RowFieldsProps<Row>) => ComponentChildren;
  /** The line shown while there is no row. */
  empty?: string;
  addLabel: string;
  /** Suggestions (datalists) the rows' inputs name. */
  children?: ComponentChildren;
}

export function RowEditor<Row extends { key: string }>(props: RowEditorProps<Row>) {
  const { rowName, rows } = props;
  const list = rows.rows.value;
  return (
    <section aria-labelledby={props.titleId}>
      <h2 id={props.titleId}>{props.title}</h2>
      <p class="section-help">{props.help}</p>
      {props.children}
      <ul class="rows">
        {list.map((row, i) => {
          const number = i + 1;
          const name = props.nameOf(row);
          const fieldsProps: RowFieldsProps<Row> = {
            row,
            which: t('options.srRow', { row: rowName, number }),
            change: (patch) => rows.change(row.key, patch),
          };
          return (
            <li key={row.key} class={`row ${props.rowClass}`}>
              {props.fields(fieldsProps)}
              <button type="button" class="danger" onClick={() => rows.remove(row.key)}>
                {t('common.remove')}
                <span class="sr-only">
                  {name ? t('options.srRemoveNamedRow', { row: rowName, number, name }) : t('options.srRemoveRow', { row: rowName, number })}
                </span>
              </button>
              {props.below?.(fieldsProps)}
            </li>
          );
        })}
      </ul>
      {props.empty && list.length === 0 && <p class="subtle">{props.empty}</p>}
      <button type="button" onClick={() => rows.add()}>
        {props.addLabel}
      </button>
    </section>
  );
}
