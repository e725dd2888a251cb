use serde_json::json;

use super::{failure, value};

#[test]
fn partition_cuts_into_chunks_with_a_short_last_one() {
    assert_eq!(
        value("$partition([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)"),
        json!([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]])
    );
    assert_eq!(value("$partition([1, 2], 5)"), json!([[1, 2]]));
    assert_eq!(value("$partition([], 2)"), json!([]));
}

#[test]
fn partition_refuses_a_size_below_one() {
    assert!(
        failure("$partition([1, 2], 0)")
            .cause
            .contains("positive integer")
    );
    assert!(failure("$partition([1, 2], 1.5)").cause.contains("T0410"));
}

#[test]
fn range_includes_both_ends() {
    assert_eq!(value("$range(0, 10, 2)"), json!([0, 2, 4, 6, 8, 10]));
    assert_eq!(value("$range(1, 8, 3)"), json!([1, 4, 7]));
}

#[test]
fn range_counts_down_with_a_negative_step() {
    assert_eq!(value("$range(5, 1, -2)"), json!([5, 3, 1]));
}

#[test]
fn range_against_its_step_is_empty() {
    assert_eq!(value("$range(5, 1, 1)"), json!([]));
}

#[test]
fn range_refuses_a_zero_step_and_non_integers() {
    assert!(failure("$range(0, 1, 0)").cause.contains("zero"));
    assert!(
        failure("$range('0', 4, 1)")
            .cause
            .contains("T0410: Argument 1 of function \"range\"")
    );
    assert!(failure("$range(0, 4)").cause.contains("Argument 3"));
}

#[test]
fn range_refuses_huge_sequences() {
    assert!(
        failure("$range(0, 100000000000, 1)")
            .cause
            .contains("must not exceed")
    );
}

#[test]
fn hash_gives_lowercase_hex_for_each_algorithm() {
    let cases = [
        ("MD5", "900150983cd24fb0d6963f7d28e17f72"),
        ("SHA-1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "SHA-256",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            "SHA-384",
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
        ),
        (
            "SHA-512",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        ),
    ];
    for (algorithm, digest) in cases {
        assert_eq!(
            value(&format!("$hash('abc', '{algorithm}')")),
            json!(digest),
            "{algorithm}"
        );
    }
}

#[test]
fn hash_hashes_utf8_bytes() {
    assert_eq!(
        value("$hash('é', 'MD5')"),
        json!("66ddcd97cfdeabb2f6fb8a999b4bc76f")
    );
}

#[test]
fn hash_refuses_an_unknown_algorithm() {
    let cause = failure("$hash('abc', 'SHA-3')").cause;
    assert!(cause.contains("'SHA-3' is not supported"), "{cause}");
}

#[test]
fn random_is_in_the_unit_interval() {
    for _ in 0..100 {
        let n = value("$random()").as_f64().unwrap();
        assert!((0.0..1.0).contains(&n), "{n}");
    }
}

#[test]
fn random_with_a_seed_repeats() {
    let first = value("$random(42)");
    assert_eq!(value("$random(42)"), first);
    assert_ne!(value("$random(43)"), first);
    assert!((0.0..1.0).contains(&first.as_f64().unwrap()));
}

#[test]
fn uuid_is_a_fresh_version_4_uuid() {
    let a = value("$uuid()");
    let b = value("$uuid()");
    assert_ne!(a, b);
    let text = a.as_str().unwrap();
    assert_eq!(text.len(), 36);
    assert_eq!(&text[14..15], "4");
    assert_eq!(text, text.to_lowercase());
}

#[test]
fn parse_reads_json_text() {
    assert_eq!(
        value(r#"$parse('{"a": [1, 2.5, "x"]}')"#),
        json!({"a": [1, 2.5, "x"]})
    );
    assert_eq!(value("$parse('3')"), json!(3));
}

#[test]
fn parse_refuses_invalid_json() {
    let cause = failure("$parse('{nope')").cause;
    assert!(cause.contains("not valid JSON"), "{cause}");
}

#[test]
fn partition_treats_a_single_value_as_an_array_of_one() {
    assert_eq!(value("$partition('x', 2)"), json!([["x"]]));
}

#[test]
fn functions_of_an_undefined_value_are_undefined() {
    for expression in [
        "$partition($nothing, 2)",
        "$hash($nothing, 'MD5')",
        "$parse($nothing)",
    ] {
        let bindings = super::no_bindings();
        assert_eq!(
            super::eval(expression, &bindings).unwrap(),
            None,
            "{expression}"
        );
    }
}

#[test]
fn hash_refuses_a_non_string_value() {
    assert!(
        failure("$hash(1, 'MD5')")
            .cause
            .contains("T0410: Argument 1 of function \"hash\"")
    );
}

#[test]
fn random_refuses_a_non_number_seed() {
    assert!(
        failure("$random('seed')")
            .cause
            .contains("T0410: Argument 1 of function \"random\"")
    );
}

#[test]
fn uuid_takes_no_arguments() {
    assert!(failure("$uuid(1)").cause.contains("T0410"));
}
