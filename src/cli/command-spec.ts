/** A flag that is on or off: `--live`. */
export interface BooleanFlag {
  readonly kind: 'boolean';
  readonly short?: string | undefined;
  readonly description: string;
}

/** A flag with a text value: `--output DIR`. */
export interface StringFlag {
  readonly kind: 'string';
  readonly short?: string | undefined;
  /** Shown in help for the value, e.g. `DIR`. */
  readonly placeholder: string;
  readonly description: string;
}

/** A flag with a whole-number value in `[min, max]`: `--max-turns N`. */
export interface IntegerFlag extends IntegerRange {
  readonly kind: 'integer';
  readonly short?: string | undefined;
  readonly placeholder: string;
  readonly description: string;
}

/** The range of a whole-number value: `[min, max]`. */
export interface IntegerRange {
  readonly min: number;
  /** @defaultValue no upper bound */
  readonly max?: number | undefined;
}

/**
 * A flag that may stand alone (`true`) or carry a value given inline only: `--resume` or
 * `--resume=RUN_ID`, `--dashboard` or `--dashboard=4800` (a value after a space would be taken
 * for an operand). With `integer`, the value is a whole number in that range.
 */
export interface OptionalValueFlag {
  readonly kind: 'optional-value';
  readonly short?: string | undefined;
  readonly placeholder: string;
  readonly description: string;
  /** The value is a whole number in this range; without it, any non-blank text. */
  readonly integer?: IntegerRange | undefined;
}

/** One flag of a subcommand. */
export type FlagSpec = BooleanFlag | StringFlag | IntegerFlag | OptionalValueFlag;

/**
 * A subcommand's command line: the single table its flags are parsed from and its help text
 * is printed from (long flag names are the keys, without `--`).
 */
export interface CommandSpec<Flags extends Readonly<Record<string, FlagSpec>>> {
  /** The subcommand, e.g. `run`. */
  readonly name: string;
  /** The operands after the subcommand in the usage line, e.g. `"<prompt>"`; empty for none. */
  readonly operands: string;
  /** One line: what the subcommand does. */
  readonly summary: string;
  /** Whether the subcommand takes operands (positional arguments). */
  readonly takesOperands: boolean;
  readonly flags: Flags;
}

/** Any subcommand's spec, for help listings. */
export type AnyCommandSpec = CommandSpec<Readonly<Record<string, FlagSpec>>>;

/** The parsed values of a command's flags: absent flags are `undefined`. */
export type FlagValues<Flags extends Readonly<Record<string, FlagSpec>>> = {
  -readonly [K in keyof Flags]?: Flags[K] extends BooleanFlag
    ? boolean
    : Flags[K] extends IntegerFlag
      ? number
      : Flags[K] extends OptionalValueFlag
        ? Flags[K] extends { readonly integer: IntegerRange }
          ? number | true
          : string | true
        : string;
};

/** `--live`: a flag that is on or off. */
export function booleanFlag(description: string, short?: string): BooleanFlag {
  return { kind: 'boolean', description, short };
}

/** `--output DIR`: a flag with a text value. */
export function stringFlag(placeholder: string, description: string, short?: string): StringFlag {
  return { kind: 'string', placeholder, description, short };
}

/** `--resume[=RUN_ID]`: a flag with an optional inline value (`true` without one). */
export function optionalStringFlag(placeholder: string, description: string): OptionalValueFlag {
  return { kind: 'optional-value', placeholder, description };
}

/** `--max-turns N`: a flag with a whole number from `min` (to `max`). */
export function integerFlag(
  placeholder: string,
  description: string,
  range: { readonly min: number; readonly max?: number; readonly short?: string },
): IntegerFlag {
  return { kind: 'integer', placeholder, description, ...range };
}

/** `--dashboard[=PORT]`: a flag alone (`true`) or with an inline whole number from `min`. */
export function optionalIntegerFlag(
  placeholder: string,
  description: string,
  range: IntegerRange,
): OptionalValueFlag & { readonly integer: IntegerRange } {
  return { kind: 'optional-value', placeholder, description, integer: range };
}
