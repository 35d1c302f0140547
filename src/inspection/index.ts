export { STATELY_INSPECTOR_URL } from './bridge-page.js';
export { type ExposedInspector, exposeInspector } from './expose-inspector.js';
export type { ExposeInspectorOptions, LoopbackHost } from './expose-inspector-options.js';
export {
  createInspectionRecorder,
  type InspectionRecorder,
  type InspectionRecorderOptions,
  type RecordedActor,
} from './inspection-recorder.js';
export type { InspectorLogger } from './inspector-logger.js';
export {
  redactInspectionEvent,
  redactingObserver,
  redactValue,
} from './redact-inspection-event.js';
export { redactPersistence } from './redact-persistence.js';
