//! The bounds openapi.yaml sets on a submitted job: read by the body's validation and by the
//! errors that name them.

pub const MAX_BODY_BYTES: usize = 16 * 1024;
pub const MAX_AUDIENCE_CHARS: usize = 1000;
pub const MAX_DELAY_SECONDS: u32 = 300;
