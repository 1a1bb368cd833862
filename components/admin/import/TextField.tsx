import { Field, inputClass } from "@/components/request-form/Field";

/** One labelled text input of the import forms, with an optional list of suggestions. */
export function TextField({
  id,
  label,
  help,
  value,
  onChange,
  error,
  suggestions,
  placeholder,
}: {
  id: string;
  label: string;
  help: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  suggestions?: string[];
  placeholder?: string;
}) {
  return (
    <Field id={id} label={label} help={help} error={error}>
      {(props) => (
        <>
          <input
            {...props}
            type="text"
            value={value}
            placeholder={placeholder}
            onChange={(e) => onChange(e.target.value)}
            list={suggestions ? `${id}-suggestions` : undefined}
            className={inputClass}
            autoComplete="off"
          />
          {suggestions ? (
            <datalist id={`${id}-suggestions`}>
              {suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          ) : null}
        </>
      )}
    </Field>
  );
}
