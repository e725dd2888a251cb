//! States.Base64Encode and States.Base64Decode.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::Failure;
use super::coerce::{java_length, text};

/// The guide's limit on the text either function accepts.
const MAX_INPUT_CHARACTERS: usize = 10_000;

pub(crate) fn base64_encode(args: &[Value]) -> Result<Value, Failure> {
    let input = single_text(args)?;
    Ok(Value::String(STANDARD.encode(input.as_bytes())))
}

/// The service decodes leniently: characters outside the Base64 alphabet are skipped, the
/// first `=` ends the data, and a partial last group yields the bytes it fully covers. The
/// bytes are read as UTF-8, with invalid sequences replaced.
pub(crate) fn base64_decode(args: &[Value]) -> Result<Value, Failure> {
    let input = single_text(args)?;
    let mut bytes = Vec::with_capacity(input.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for c in input.chars() {
        if c == '=' {
            break;
        }
        let Some(sextet) = sextet(c) else {
            continue;
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

fn single_text(args: &[Value]) -> Result<&str, Failure> {
    let [input] = args else {
        return Err(Failure::InvalidArguments);
    };
    let input = text(input)?;
    if java_length(input) > MAX_INPUT_CHARACTERS {
        return Err(Failure::InvalidArguments);
    }
    Ok(input)
}

/// The value of a Base64 digit; the URL-safe digits are accepted too, as lenient decoders do.
fn sextet(c: char) -> Option<u8> {
    let value = match c {
        'A'..='Z' => c as u8 - b'A',
        'a'..='z' => c as u8 - b'a' + 26,
        '0'..='9' => c as u8 - b'0' + 52,
        '+' | '-' => 62,
        '/' | '_' => 63,
        _ => return None,
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn encode_uses_the_utf8_bytes_with_padding() {
        assert_eq!(base64_encode(&[json!("hello")]), Ok(json!("aGVsbG8=")));
        assert_eq!(base64_encode(&[json!("✓")]), Ok(json!("4pyT")));
        assert_eq!(base64_encode(&[json!("")]), Ok(json!("")));
    }

    #[test]
    fn decode_reverses_encode() {
        assert_eq!(
            base64_decode(&[json!("RGF0YSB0byBlbmNvZGU=")]),
            Ok(json!("Data to encode"))
        );
        assert_eq!(
            base64_decode(&[json!("44GT44KT44Gr44Gh44Gv")]),
            Ok(json!("こんにちは"))
        );
    }

    #[test]
    fn decode_skips_characters_outside_the_alphabet() {
        assert_eq!(base64_decode(&[json!(" YWJjZA== ")]), Ok(json!("abcd")));
        assert_eq!(base64_decode(&[json!("YW\nJj")]), Ok(json!("abc")));
    }

    #[test]
    fn decode_stops_at_the_first_padding_character() {
        assert_eq!(base64_decode(&[json!("YQ==YWJj")]), Ok(json!("a")));
    }

    #[test]
    fn decode_keeps_the_bytes_of_a_partial_group() {
        assert_eq!(base64_decode(&[json!("YWJ")]), Ok(json!("ab")));
    }

    #[test]
    fn both_accept_exactly_10000_characters() {
        let at_limit = "a".repeat(10_000);
        let over = "a".repeat(10_001);
        assert!(base64_encode(&[json!(at_limit)]).is_ok());
        assert_eq!(
            base64_encode(&[json!(over)]),
            Err(Failure::InvalidArguments)
        );
        let at_limit = "A".repeat(10_000);
        let over = "A".repeat(10_001);
        assert!(base64_decode(&[json!(at_limit)]).is_ok());
        assert_eq!(
            base64_decode(&[json!(over)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn both_take_exactly_one_string() {
        for args in [
            vec![],
            vec![json!(123)],
            vec![json!({})],
            vec![json!("a"), json!("b")],
        ] {
            assert_eq!(base64_encode(&args), Err(Failure::InvalidArguments));
            assert_eq!(base64_decode(&args), Err(Failure::InvalidArguments));
        }
    }
}
