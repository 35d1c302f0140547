/** Codes of the errors raised by the process layer (finding, spawning and watching the CLI). */
export type ProcessErrorCode = 'EXECUTABLE_NOT_FOUND' | 'SPAWN_FAILED' | 'PROCESS_EXITED';
