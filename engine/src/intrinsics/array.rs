//! States.ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique.

use serde_json::Value;

use super::Failure;
use super::coerce::{array, truncated};
use super::java_values;

/// The guide's cap on the size of the array States.ArrayRange may build.
const MAX_RANGE_ITEMS: i128 = 1000;

pub(crate) fn partition(args: &[Value]) -> Result<Value, Failure> {
    let [items, size] = args else {
        return Err(Failure::InvalidArguments);
    };
    let items = array(items)?;
    let size = truncated(size)?;
    if size <= 0 {
        return Err(Failure::InvalidArguments);
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|chunk| Value::Array(chunk.to_vec()))
            .collect(),
    ))
}

pub(crate) fn contains(args: &[Value]) -> Result<Value, Failure> {
    let [items, wanted] = args else {
        return Err(Failure::InvalidArguments);
    };
    let wanted = java_values::display(wanted);
    let found = array(items)?
        .iter()
        .any(|item| java_values::display(item) == wanted);
    Ok(Value::Bool(found))
}

pub(crate) fn range(args: &[Value]) -> Result<Value, Failure> {
    let [first, last, step] = args else {
        return Err(Failure::InvalidArguments);
    };
    let (first, last, step) = (truncated(first)?, truncated(last)?, truncated(step)?);
    if step == 0 {
        return Err(Failure::InvalidArguments);
    }
    let span = i128::from(last) - i128::from(first);
    let count = if span == 0 || (span > 0) == (step > 0) {
        span / i128::from(step) + 1
    } else {
        0
    };
    if count > MAX_RANGE_ITEMS {
        return Err(Failure::InvalidArguments);
    }
    Ok(Value::Array(
        (0..count)
            // Every item lies between `first` and `last`, so it fits an i64.
            .map(|index| Value::from((i128::from(first) + index * i128::from(step)) as i64))
            .collect(),
    ))
}

pub(crate) fn get_item(args: &[Value]) -> Result<Value, Failure> {
    let [items, index] = args else {
        return Err(Failure::InvalidArguments);
    };
    let items = array(items)?;
    let index = truncated(index)?;
    // Observed on the service: any index into an empty array gives null, not an error.
    if items.is_empty() {
        return Ok(Value::Null);
    }
    usize::try_from(index)
        .ok()
        .and_then(|index| items.get(index))
        .cloned()
        .ok_or(Failure::InvalidArguments)
}

pub(crate) fn length(args: &[Value]) -> Result<Value, Failure> {
    let [items] = args else {
        return Err(Failure::InvalidArguments);
    };
    Ok(Value::from(array(items)?.len()))
}

pub(crate) fn unique(args: &[Value]) -> Result<Value, Failure> {
    let [items] = args else {
        return Err(Failure::InvalidArguments);
    };
    Ok(Value::Array(java_values::hash_set_order(array(items)?)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn partition_keeps_a_shorter_last_chunk() {
        assert_eq!(
            partition(&[json!([1, 2, 3, 4, 5, 6, 7, 8, 9]), json!(4)]),
            Ok(json!([[1, 2, 3, 4], [5, 6, 7, 8], [9]]))
        );
    }

    #[test]
    fn partition_truncates_the_chunk_size() {
        assert_eq!(
            partition(&[json!([1, 2, 3, 4, 5]), json!(2.6)]),
            Ok(json!([[1, 2], [3, 4], [5]]))
        );
    }

    #[test]
    fn partition_chunk_size_must_be_positive() {
        for size in [json!(0), json!(-1), json!(0.6), json!("2"), json!(null)] {
            assert_eq!(
                partition(&[json!([1, 2]), size]),
                Err(Failure::InvalidArguments)
            );
        }
    }

    #[test]
    fn partition_of_an_empty_array_is_empty() {
        assert_eq!(partition(&[json!([]), json!(3)]), Ok(json!([])));
    }

    #[test]
    fn contains_compares_java_text_forms() {
        assert_eq!(contains(&[json!([1, 2, 3]), json!(2)]), Ok(json!(true)));
        assert_eq!(contains(&[json!(["true"]), json!(true)]), Ok(json!(true)));
        assert_eq!(contains(&[json!([0, 1]), json!(false)]), Ok(json!(false)));
        assert_eq!(
            contains(&[json!([[1, 2], [3]]), json!([1, 2])]),
            Ok(json!(true))
        );
    }

    #[test]
    fn contains_requires_an_array_and_two_arguments() {
        assert_eq!(
            contains(&[json!("abc"), json!("a")]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(contains(&[json!([1])]), Err(Failure::InvalidArguments));
    }

    #[test]
    fn range_includes_both_ends_when_the_step_lands_on_them() {
        assert_eq!(
            range(&[json!(1), json!(9), json!(2)]),
            Ok(json!([1, 3, 5, 7, 9]))
        );
        assert_eq!(
            range(&[json!(5), json!(1), json!(-2)]),
            Ok(json!([5, 3, 1]))
        );
        assert_eq!(range(&[json!(3), json!(3), json!(-1)]), Ok(json!([3])));
    }

    #[test]
    fn range_in_the_wrong_direction_is_empty() {
        assert_eq!(range(&[json!(5), json!(1), json!(1)]), Ok(json!([])));
        assert_eq!(range(&[json!(1), json!(5), json!(-1)]), Ok(json!([])));
    }

    #[test]
    fn range_truncates_its_arguments() {
        assert_eq!(
            range(&[json!(5.4), json!(-0.6), json!(-2.4)]),
            Ok(json!([5, 3, 1]))
        );
    }

    #[test]
    fn range_is_limited_to_1000_items() {
        let full = range(&[json!(1), json!(1000), json!(1)]).expect("1000 items");
        assert_eq!(full.as_array().map(Vec::len), Some(1000));
        assert_eq!(
            range(&[json!(1), json!(1001), json!(1)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn range_step_zero_is_invalid() {
        assert_eq!(
            range(&[json!(1), json!(10), json!(0.49)]),
            Err(Failure::InvalidArguments)
        );
    }

    #[test]
    fn get_item_reads_by_truncated_index() {
        assert_eq!(get_item(&[json!([10, 20, 30]), json!(1.2)]), Ok(json!(20)));
    }

    #[test]
    fn get_item_out_of_range_is_invalid_except_on_an_empty_array() {
        assert_eq!(
            get_item(&[json!([10, 20, 30]), json!(3)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(
            get_item(&[json!([10, 20, 30]), json!(-1)]),
            Err(Failure::InvalidArguments)
        );
        assert_eq!(get_item(&[json!([]), json!(999)]), Ok(json!(null)));
    }

    #[test]
    fn length_counts_top_level_items() {
        assert_eq!(length(&[json!([[1], [2], [3]])]), Ok(json!(3)));
        assert_eq!(length(&[json!({"a": 1})]), Err(Failure::InvalidArguments));
    }

    #[test]
    fn unique_drops_duplicates_in_hash_set_order() {
        assert_eq!(
            unique(&[json!([1, 2, 3, 3, 3, 4])]),
            Ok(json!([1, 2, 3, 4]))
        );
        assert_eq!(
            unique(&[json!([{"a": 1, "b": 2}, {"b": 2, "a": 1}])]),
            Ok(json!([{"a": 1, "b": 2}]))
        );
    }
}
