//! The JSON Schema keywords wfc reads, found in one scan of a schema object: a hashed lookup per
//! keyword costs more than the scan. Generic over the value type, so that `schema-invalid` reads
//! JSON and the bounds analysis reads abstract values with the same scan.

/// Bounds that contradict each other when the minimum exceeds the maximum, as (minimum, maximum).
pub const BOUNDS: [(&str, &str); 5] = [
    ("minItems", "maxItems"),
    ("minLength", "maxLength"),
    ("minProperties", "maxProperties"),
    ("minimum", "maximum"),
    ("minContains", "maxContains"),
];

pub struct Keywords<'v, V> {
    pub any_of: Option<&'v V>,
    pub one_of: Option<&'v V>,
    pub enum_: Option<&'v V>,
    pub type_: Option<&'v V>,
    pub properties: Option<&'v V>,
    pub items: Option<&'v V>,
    pub required: Option<&'v V>,
    pub additional_properties: Option<&'v V>,
    pub pattern_properties: bool,
    /// The minimum and the maximum of each of [`BOUNDS`], in its order.
    pub bounds: [(Option<&'v V>, Option<&'v V>); 5],
}

impl<'v, V> Keywords<'v, V> {
    pub fn scan<'k>(entries: impl IntoIterator<Item = (&'k str, &'v V)>) -> Self {
        let mut k = Keywords {
            any_of: None,
            one_of: None,
            enum_: None,
            type_: None,
            properties: None,
            items: None,
            required: None,
            additional_properties: None,
            pattern_properties: false,
            bounds: [(None, None); 5],
        };
        for (key, v) in entries {
            let slot = match key {
                "anyOf" => &mut k.any_of,
                "oneOf" => &mut k.one_of,
                "enum" => &mut k.enum_,
                "type" => &mut k.type_,
                "properties" => &mut k.properties,
                "items" => &mut k.items,
                "required" => &mut k.required,
                "additionalProperties" => &mut k.additional_properties,
                "patternProperties" => {
                    k.pattern_properties = true;
                    continue;
                }
                key => match BOUNDS
                    .iter()
                    .enumerate()
                    .find(|(_, (min, max))| key == *min || key == *max)
                {
                    Some((i, (min, _))) if key == *min => &mut k.bounds[i].0,
                    Some((i, _)) => &mut k.bounds[i].1,
                    None => continue,
                },
            };
            *slot = Some(v);
        }
        k
    }

    pub fn min_items(&self) -> Option<&'v V> {
        self.bounds[0].0
    }

    pub fn max_items(&self) -> Option<&'v V> {
        self.bounds[0].1
    }

    pub fn minimum(&self) -> Option<&'v V> {
        self.bounds[3].0
    }

    pub fn maximum(&self) -> Option<&'v V> {
        self.bounds[3].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scan_finds_every_keyword_and_ignores_the_rest() {
        let entries = [
            ("type", 1),
            ("minItems", 2),
            ("maxItems", 3),
            ("maximum", 4),
            ("minimum", 5),
            ("patternProperties", 6),
            ("description", 7),
            ("maxContains", 8),
            ("required", 9),
        ];
        let k = Keywords::scan(entries.iter().map(|(key, v)| (*key, v)));
        assert_eq!(k.type_, Some(&1));
        assert_eq!((k.min_items(), k.max_items()), (Some(&2), Some(&3)));
        assert_eq!((k.minimum(), k.maximum()), (Some(&5), Some(&4)));
        assert_eq!(k.bounds[4], (None, Some(&8)));
        assert_eq!(k.required, Some(&9));
        assert!(k.pattern_properties);
        assert_eq!(k.properties, None);
    }
}
