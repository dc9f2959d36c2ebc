import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  /** Appended to the label for screen readers only, to tell rows apart (" of mapping 2", with its own space). */
  srSuffix?: string;
  value: string;
  onInput: (value: string) => void;
  type?: 'text' | 'url' | 'number' | 'search';
  placeholder?: string;
  help?: ComponentChildren;
  list?: string;
  mono?: boolean;
  inputMode?: 'numeric' | 'text' | 'url';
  min?: number;
  max?: number;
}

/** A labelled text input with optional help below it. */
export function Field(props: FieldProps) {
  const id = useId();
  const helpId = props.help ? `${id}-help` : undefined;
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {props.label}
        {props.srSuffix && <span class="sr-only">{props.srSuffix}</span>}
      </label>
      <input
        id={id}
        type={props.type ?? 'text'}
        class={props.mono ? 'mono' : undefined}
        value={props.value}
        placeholder={props.placeholder}
        list={props.list}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        spellcheck={false}
        autocomplete="off"
        aria-describedby={helpId}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.help && (
        <p class="help" id={helpId}>
          {props.help}
        </p>
      )}
    </div>
  );
}

export function Checkbox(props: { label: string; srSuffix?: string; checked: boolean; onChange: (v: boolean) => void; help?: string }) {
  const id = useId();
  return (
    <div class="field">
      <div class="checkbox">
        <input id={id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
        <label for={id}>
          {props.label}
          {props.srSuffix && <span class="sr-only">{props.srSuffix}</span>}
        </label>
      </div>
      {props.help && <p class="help">{props.help}</p>}
    </div>
  );
}
