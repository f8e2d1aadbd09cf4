// A labelled password input, the one shape of every password on every screen (sign-up, sign-in, unlock,
// settings): the visible label gives the accessible name the tests and screen readers use.
import type { Ref } from "preact";

export function PasswordField(props: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  autocomplete: "current-password" | "new-password";
  inputRef?: Ref<HTMLInputElement>;
  /** the id of an error message about this field: tied to it for screen readers */
  errorId?: string | undefined;
}) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autocomplete={props.autocomplete}
        ref={props.inputRef}
        required
        aria-describedby={props.errorId}
        aria-invalid={props.errorId ? true : undefined}
        value={props.value}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </>
  );
}
