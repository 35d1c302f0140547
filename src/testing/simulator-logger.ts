/**
 * The logger the simulator writes to: any pino logger fits. The simulator never uses `console`.
 */
export interface SimulatorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** @internal */
export const silentLogger: SimulatorLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
};
