//! The shape of an agent's structured result, from its JSON Schema: arrays are as long as their
//! `maxItems` allows, numbers as large as their `maximum`.
//!
//! The schema is read from its abstract value directly. Only a schema whose shape keywords are
//! known (every value the shape is read from a constant) has a shape; any other result is
//! unknown. Keywords the shape does not read may hold anything: schemas built by helpers often
//! compute `required` (`required: Object.keys(props)`).

use std::rc::Rc;
use wfc_ir::{SiteId, Span};

use super::super::fields::Fields;
use super::super::sym::{Count, Sym};
use super::super::value::{from_json, Alloc, Allocs, Arr, Num, Obj, Val};
use super::Interp;
use crate::schema_keywords::Keywords;

impl<'w> Interp<'w> {
    pub(super) fn schema_value(&mut self, schema: &Val, site: SiteId, span: Span) -> Val {
        if !shape_known(schema, 0) {
            return Val::Top;
        }
        self.shape(schema, site, span, &mut String::new(), 0)
    }

    /// The value a schema describes. `path` is where it is in the result (`.findings[]`): it is
    /// extended and restored on the way down, so that the path of each level costs no allocation.
    fn shape(
        &mut self,
        schema: &Val,
        site: SiteId,
        span: Span,
        path: &mut String,
        depth: usize,
    ) -> Val {
        if depth > 32 {
            return Val::Top;
        }
        let Val::Obj(map) = schema else {
            return Val::Top;
        };
        let o = Keywords::scan(present(map).map(|(key, v)| (key.as_str(), v)));
        for key in [o.any_of, o.one_of] {
            if let Some(options) = key.and_then(items) {
                return options
                    .iter()
                    .map(|s| self.shape(s, site, span, path, depth + 1))
                    .reduce(|a, b| a.join(&b))
                    .unwrap_or(Val::Top);
            }
        }
        if let Some(values) = o.enum_.and_then(items) {
            // As the value's JSON reads back: enum members carry no allocation.
            let vals: Vec<Val> = values
                .iter()
                .map(|v| v.to_json().map_or(Val::Top, |j| from_json(&j)))
                .collect();
            return vals
                .into_iter()
                .reduce(|a, b| a.join(&b))
                .unwrap_or(Val::Top);
        }
        let types: Vec<&str> = match o.type_ {
            Some(Val::Str(Some(t))) => vec![t.as_str()],
            Some(Val::Arr(a)) => a
                .items
                .iter()
                .flatten()
                .filter_map(|t| match t {
                    Val::Str(Some(t)) => Some(t.as_str()),
                    _ => None,
                })
                .collect(),
            _ if o.properties.is_some() => vec!["object"],
            _ if o.items.is_some() => vec!["array"],
            _ => return Val::Top,
        };
        types
            .into_iter()
            .map(|t| match t {
                "object" => {
                    let mut fields = Fields::new();
                    if let Some(Val::Obj(props)) = o.properties {
                        for (k, s) in present(props) {
                            let len = path.len();
                            path.push('.');
                            path.push_str(k);
                            let v = self.shape(s, site, span, path, depth + 1);
                            path.truncate(len);
                            fields.insert(k.clone(), v);
                        }
                    }
                    Val::Obj(Rc::new(Obj {
                        fields,
                        open: !matches!(o.additional_properties, Some(Val::Bool(Some(false)))),
                        allocs: Allocs::one(Alloc {
                            span,
                            path: Rc::from(path.as_str()),
                        }),
                        input: None,
                        partial: false,
                        key_bound: None,
                        nullable: false,
                    }))
                }
                "array" => {
                    let hi = match o.max_items().and_then(number) {
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
                    let lo = o.min_items().and_then(count).unwrap_or(0);
                    let alloc = Alloc {
                        span,
                        path: Rc::from(path.as_str()),
                    };
                    let elem = o.items.map_or(Val::Top, |s| {
                        let len = path.len();
                        path.push_str("[]");
                        let v = self.shape(s, site, span, path, depth + 1);
                        path.truncate(len);
                        v
                    });
                    let elem = self.grown_elem(&alloc, elem);
                    let g = self.growth_of(&alloc);
                    Val::Arr(Rc::new(Arr {
                        len: Count { lo, hi: hi.add(&g) },
                        elem: Box::new(elem),
                        items: None,
                        allocs: Allocs::one(alloc),
                    }))
                }
                "string" => Val::Str(None),
                "number" | "integer" => Val::Num(Num::new(
                    None,
                    o.maximum().and_then(number).map(Sym::num),
                    o.minimum().and_then(number),
                )),
                "boolean" => Val::Bool(None),
                "null" => Val::Null,
                _ => Val::Top,
            })
            .reduce(|a, b| a.join(&b))
            .unwrap_or(Val::Top)
    }
}

/// Whether a value is known entirely, as JSON: constants, literal arrays and closed objects
/// (whose `undefined` fields JSON leaves out).
/// Every value the shape of `schema` is read from is known: it is a closed object whose
/// subschemas are known and whose other keywords hold constants, except the keywords that only
/// describe or constrain values without changing their shape.
fn shape_known(schema: &Val, depth: usize) -> bool {
    let Val::Obj(o) = schema else {
        return is_constant(schema);
    };
    // Open, possibly the input, or a join of objects with different keys: a keyword may be
    // missing from the schema the agent gets, and a missing `maxItems` is no limit at all.
    if o.open || o.partial || o.input.is_some() || depth > 32 {
        return false;
    }
    let subschemas =
        |v: &Val| items(v).is_some_and(|xs| xs.iter().all(|s| shape_known(s, depth + 1)));
    present(o).all(|(key, v)| match key.as_str() {
        "properties" | "patternProperties" | "$defs" | "definitions" => match v {
            Val::Obj(p) => !p.open && present(p).all(|(_, s)| shape_known(s, depth + 1)),
            _ => false,
        },
        "items" | "additionalProperties" | "contains" | "not" => match v {
            Val::Arr(_) => subschemas(v),
            _ => shape_known(v, depth + 1),
        },
        "anyOf" | "oneOf" | "allOf" | "prefixItems" => subschemas(v),
        "required" | "description" | "title" | "$comment" | "examples" | "default" | "pattern"
        | "format" | "deprecated" | "readOnly" | "writeOnly" => true,
        _ => is_constant(v),
    })
}

fn is_constant(v: &Val) -> bool {
    match v {
        Val::Null | Val::Bool(Some(_)) | Val::Str(Some(_)) => true,
        Val::Num(n) => n.exact().is_some_and(f64::is_finite),
        Val::Arr(a) => a
            .items
            .as_ref()
            .is_some_and(|xs| xs.iter().all(is_constant)),
        Val::Obj(o) => !o.open && present(o).all(|(_, v)| is_constant(v)),
        _ => false,
    }
}

/// An object's fields, without the `undefined` ones JSON leaves out.
fn present(o: &Obj) -> impl Iterator<Item = (&wfc_ir::Name, &Val)> {
    o.fields
        .iter()
        .filter(|(_, v)| !matches!(v, Val::Undefined))
}

/// The elements of a literal array.
fn items(v: &Val) -> Option<&[Val]> {
    match v {
        Val::Arr(a) => a.items.as_deref(),
        _ => None,
    }
}

fn number(v: &Val) -> Option<f64> {
    v.exact_num()
}

/// A count JSON reads as an unsigned integer: integral, not negative, and stored as an integer
/// (below 2^53 or so; larger ones are floats in JSON and no count).
fn count(v: &Val) -> Option<u64> {
    let n = v.exact_num()?;
    (n.fract() == 0.0 && (0.0..9e15).contains(&n)).then_some(n as u64)
}
