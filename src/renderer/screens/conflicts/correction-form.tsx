/** The small "corrected value" form of one event type (fields from `correction.ts`). */
import type { CorrectionDraft, CorrectionField } from './correction.ts';
import { unitLabel } from '../../format/format.ts';

interface Props {
  fields: readonly CorrectionField[];
  draft: CorrectionDraft;
  errors: Readonly<Record<string, string>>;
  disabled: boolean;
  onChange: (name: string, value: string) => void;
}

function Control({ field, value, disabled, invalid, onChange }: { field: CorrectionField; value: string; disabled: boolean; invalid: boolean; onChange: (v: string) => void }) {
  const id = `correction-${field.name}`;
  const common = {
    id,
    name: field.name,
    value,
    disabled,
    required: field.required,
    'aria-invalid': invalid,
    'aria-describedby': field.hint === undefined && !invalid ? undefined : `${id}-hint`,
    'data-testid': id,
  };
  switch (field.kind) {
    case 'number':
      return <input {...common} type="text" inputMode="decimal" className="num" onChange={(e) => onChange(e.target.value)} />;
    case 'select':
      return (
        <select {...common} onChange={(e) => onChange(e.target.value)}>
          {value === '' ? <option value="">Choose…</option> : null}
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'longtext':
      return <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} />;
    case 'text':
    case 'list':
      return <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />;
  }
}

export function CorrectionForm({ fields, draft, errors, disabled, onChange }: Props) {
  return (
    <div className="correction-form" data-testid="correction-form">
      {fields.map((field) => {
        const error = errors[field.name];
        return (
          <div key={field.name} className="correction-field">
            <label htmlFor={`correction-${field.name}`}>
              {field.label}
              {field.unit === undefined ? null : <span className="muted"> ({unitLabel(field.unit)})</span>}
              {field.required ? null : <span className="muted"> — optional</span>}
            </label>
            <Control field={field} value={draft[field.name] ?? ''} disabled={disabled} invalid={error !== undefined} onChange={(v) => onChange(field.name, v)} />
            {error !== undefined || field.hint !== undefined ? (
              <p id={`correction-${field.name}-hint`} className={error === undefined ? 'hint' : 'form-error'}>
                {error ?? field.hint}
              </p>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
