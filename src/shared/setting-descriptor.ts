/** How a raw flag, env or form string becomes the setting's value before the schema checks it. */
export type SettingKind = 'string' | 'number' | 'list' | 'boolean';

export interface CliFlag {
  /** Without the dashes: `poll-interval`. */
  name: string;
  /** Placeholder after the flag in --help (`--poll-interval SEC`); none = a switch that sets `sets`. */
  arg?: string;
  sets?: boolean;
  /** --help lines: the first beside the flag, the rest indented below it. */
  help: readonly string[];
}

export type FormControl = 'url' | 'number' | 'text' | 'port' | 'textarea' | 'select' | 'checkbox';

/** A control in the settings window; index.html marks where it goes with `data-setting="<path>"`. */
export interface FormField {
  /** The element is `#f-<id>`; its hint and error are `#f-<id>-hint` and `#f-<id>-error`. */
  id: string;
  label: string;
  control: FormControl;
  hint?: string;
  /** A sample shown as code at the end of the hint. */
  hintCode?: string;
  /** Option labels of a select, by value. */
  options?: Readonly<Record<string, string>>;
  /** Blank removes the setting instead of asking for a value. */
  blankClears?: boolean;
  /** The message for text that is not a number (number-kind settings only). */
  notANumber?: string;
  /** Lines the page fills in later: `#f-<id>-state` after the hint, `#f-<id>-caret` after the error. */
  state?: boolean;
  caret?: boolean;
}

/** One setting: its schema key, CLI flag, environment variable and settings-window control. */
export interface SettingDescriptor {
  kind: SettingKind;
  flag?: CliFlag;
  env?: string;
  form?: FormField;
}
