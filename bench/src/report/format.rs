//! How numbers print in the table, the report and the chart.

use std::time::Duration;

/// Operations per second with thousands separators: `12,345/s`, or `7.4/s` below 100.
pub fn rate(per_second: f64) -> String {
    if per_second < 100.0 {
        format!("{per_second:.1}/s")
    } else {
        format!("{}/s", grouped(per_second.round() as u64))
    }
}

/// A latency in milliseconds, with as many decimals as a short one needs.
pub fn millis(duration: Duration) -> String {
    let ms = duration.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{} ms", grouped(ms.round() as u64))
    }
}

pub fn with_unit(amount: f64, decimals: usize, unit: &str) -> String {
    format!("{amount:.decimals$} {unit}")
}

pub fn ratio(ratio: f64) -> String {
    if ratio >= 100.0 {
        format!("{}×", grouped(ratio.round() as u64))
    } else if ratio >= 10.0 {
        format!("{ratio:.0}×")
    } else {
        format!("{ratio:.2}×")
    }
}

fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(rate(12_345.4), "12,345/s");
        assert_eq!(rate(7.44), "7.4/s");
        assert_eq!(millis(Duration::from_micros(250)), "0.250 ms");
        assert_eq!(millis(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(millis(Duration::from_millis(1_234)), "1,234 ms");
        assert_eq!(ratio(1234.5), "1,235×");
        assert_eq!(ratio(0.5), "0.50×");
        assert_eq!(with_unit(2.0, 2, "MiB"), "2.00 MiB");
    }
}
