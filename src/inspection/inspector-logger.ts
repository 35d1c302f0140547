/**
 * The logger inspection writes to: any pino logger fits. Inspection never uses `console`.
 */
export interface InspectorLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** @internal */
export const silentInspectorLogger: InspectorLogger = {
  debug: () => {},
  warn: () => {},
};
