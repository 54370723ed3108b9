//! The shape of an agent's structured result, from its JSON Schema: arrays are as long as their
//! `maxItems` allows, numbers as large as their `maximum`.

use serde_json::Value as J;
use std::rc::Rc;
use wfc_ir::{SiteId, Span};

use super::super::sym::{Count, Sym};
use super::super::value::{Alloc, Arr, Num, Obj, Val};
use super::Interp;

impl<'w> Interp<'w> {
    pub(super) fn schema_value(&mut self, schema: &J, site: SiteId, span: Span) -> Val {
        self.shape(schema, site, span, "", 0)
    }

    fn shape(&mut self, schema: &J, site: SiteId, span: Span, path: &str, depth: usize) -> Val {
        if depth > 32 {
            return Val::Top;
        }
        let J::Object(map) = schema else {
            return Val::Top;
        };
        // One scan of the (small) object instead of a hashed lookup per keyword.
        let o = Keywords::of(map);
        for key in [o.any_of, o.one_of] {
            if let Some(J::Array(options)) = key {
                return options
                    .iter()
                    .map(|s| self.shape(s, site, span, path, depth + 1))
                    .reduce(|a, b| a.join(&b))
                    .unwrap_or(Val::Top);
            }
        }
        if let Some(J::Array(values)) = o.enum_ {
            let vals: Vec<Val> = values.iter().map(super::super::value::from_json).collect();
            return vals
                .into_iter()
                .reduce(|a, b| a.join(&b))
                .unwrap_or(Val::Top);
        }
        let types: Vec<&str> = match o.type_ {
            Some(J::String(t)) => vec![t.as_str()],
            Some(J::Array(ts)) => ts.iter().filter_map(J::as_str).collect(),
            _ if o.properties.is_some() => vec!["object"],
            _ if o.items.is_some() => vec!["array"],
            _ => return Val::Top,
        };
        types
            .into_iter()
            .map(|t| match t {
                "object" => {
                    let mut fields = std::collections::BTreeMap::new();
                    if let Some(J::Object(props)) = o.properties {
                        for (k, s) in props {
                            let p = format!("{path}.{k}");
                            fields.insert(k.clone(), self.shape(s, site, span, &p, depth + 1));
                        }
                    }
                    Val::Obj(Rc::new(Obj {
                        fields,
                        open: o.additional_properties != Some(&J::Bool(false)),
                        allocs: Rc::new(vec![Alloc {
                            span,
                            path: Rc::from(path),
                        }]),
                        input: None,
                    }))
                }
                "array" => {
                    let hi = match o.max_items.and_then(J::as_f64) {
                        Some(n) => Sym::num(n),
                        None => Sym::unbounded(
                            span,
                            format!(
                                "the result of agent {site} has no `maxItems` for `{}`",
                                if path.is_empty() {
                                    "(the result)"
                                } else {
                                    path.trim_start_matches('.')
                                }
                            ),
                        ),
                    };
                    let lo = o.min_items.and_then(J::as_u64).unwrap_or(0);
                    let item_path = format!("{path}[]");
                    let alloc = Alloc {
                        span,
                        path: Rc::from(path),
                    };
                    let elem = o.items.map_or(Val::Top, |s| {
                        self.shape(s, site, span, &item_path, depth + 1)
                    });
                    let elem = self.grown_elem(&alloc, elem);
                    let g = self.growth_of(&alloc);
                    Val::Arr(Rc::new(Arr {
                        len: Count { lo, hi: hi.add(&g) },
                        elem: Box::new(elem),
                        items: None,
                        allocs: Rc::new(vec![alloc]),
                    }))
                }
                "string" => Val::Str(None),
                "number" | "integer" => Val::Num(Num {
                    exact: None,
                    hi: o.maximum.and_then(J::as_f64).map(Sym::num),
                    lo: o.minimum.and_then(J::as_f64),
                }),
                "boolean" => Val::Bool(None),
                "null" => Val::Null,
                _ => Val::Top,
            })
            .reduce(|a, b| a.join(&b))
            .unwrap_or(Val::Top)
    }
}

/// The keywords `shape` reads from one schema object.
#[derive(Default)]
struct Keywords<'j> {
    any_of: Option<&'j J>,
    one_of: Option<&'j J>,
    enum_: Option<&'j J>,
    type_: Option<&'j J>,
    properties: Option<&'j J>,
    items: Option<&'j J>,
    additional_properties: Option<&'j J>,
    max_items: Option<&'j J>,
    min_items: Option<&'j J>,
    maximum: Option<&'j J>,
    minimum: Option<&'j J>,
}

impl<'j> Keywords<'j> {
    fn of(map: &'j serde_json::Map<String, J>) -> Self {
        let mut k = Keywords::default();
        for (key, v) in map {
            let slot = match key.as_str() {
                "anyOf" => &mut k.any_of,
                "oneOf" => &mut k.one_of,
                "enum" => &mut k.enum_,
                "type" => &mut k.type_,
                "properties" => &mut k.properties,
                "items" => &mut k.items,
                "additionalProperties" => &mut k.additional_properties,
                "maxItems" => &mut k.max_items,
                "minItems" => &mut k.min_items,
                "maximum" => &mut k.maximum,
                "minimum" => &mut k.minimum,
                _ => continue,
            };
            *slot = Some(v);
        }
        k
    }
}
