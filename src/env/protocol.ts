// The bridge's wire format (docs/python.md "Protocol"): little-endian frames on the server's
// stdin (requests) and stdout (replies), each an 8-byte header (u32 payload bytes, u32 op or
// status) then the payload. Requests carry JSON, except STEP (i32 per agent). Replies carry
// the step arrays (STEPPED, step-arrays.ts), a JSON value (JSON), an f64 array (ARRAY) or an
// error (ERROR: JSON {type, message, issues?}).

/** Request ops. */
export const OP = { init: 1, reset: 2, step: 3, stepPolicy: 4, metrics: 5, state: 6 } as const;
/** Reply statuses. */
export const STATUS = { stepped: 0, json: 1, error: 2, array: 3 } as const;
export const FRAME_HEADER_BYTES = 8;
/** The largest request accepted (a scenario object, or one action per agent): 64 MiB. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
