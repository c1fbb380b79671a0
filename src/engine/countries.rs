//! ISO 3166-1 country names (pycountry's short names), for `country.name` fields.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::data;

static NAMES: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    data::rows(data::COUNTRY_NAMES)
        .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
        .collect()
});

/// The short English name of a two-letter code, if it is one.
pub fn name(code: &str) -> Option<&'static str> {
    NAMES.get(code).copied()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::name("CH"), Some("Switzerland"));
        assert_eq!(super::name("XK"), Some("Kosovo"));
        assert_eq!(super::name("ZZ"), None);
    }
}
