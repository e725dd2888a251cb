/// The intrinsic functions of the States Language, by the name written in a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const ALL: [Function; 18] = [
    Function::Format,
    Function::StringToJson,
    Function::JsonToString,
    Function::Array,
    Function::ArrayPartition,
    Function::ArrayContains,
    Function::ArrayRange,
    Function::ArrayGetItem,
    Function::ArrayLength,
    Function::ArrayUnique,
    Function::Base64Encode,
    Function::Base64Decode,
    Function::Hash,
    Function::JsonMerge,
    Function::MathRandom,
    Function::MathAdd,
    Function::StringSplit,
    Function::Uuid,
];

impl Function {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        ALL.into_iter().find(|function| function.name() == name)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_is_found_by_its_own_name() {
        for function in ALL {
            assert_eq!(Function::from_name(function.name()), Some(function));
        }
    }

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(Function::from_name("States.format"), None);
        assert_eq!(Function::from_name("States.Uuid"), None);
    }
}
