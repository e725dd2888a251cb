//! Timestamps as Step Functions prints them: RFC 3339, UTC, milliseconds (`2019-03-26T20:14:13.192Z`).

use std::time::SystemTime;

use time::OffsetDateTime;
use time::macros::format_description;

pub fn format(at: SystemTime) -> String {
    let at = OffsetDateTime::from(at);
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    // Formatting a UTC OffsetDateTime with a fixed description cannot fail for years 0..=9999;
    // fall back to the RFC 3339 form rather than panic for anything stranger.
    at.format(&format)
        .or_else(|_| at.format(&time::format_description::well_known::Rfc3339))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn prints_milliseconds_in_utc() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_553_631_253_192);
        assert_eq!(format(at), "2019-03-26T20:14:13.192Z");
    }
}
