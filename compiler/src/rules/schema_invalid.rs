//! `schema-invalid`: an `agent()` `schema` that is not a valid JSON Schema, or that contradicts
//! itself the way the runtime checks before starting the agent.
//!
//! Schemas written as literals are checked, including through `const` names (`schema: FINDING`,
//! `properties: { location: LOCATION }`) and spreads of such consts; a schema with any part
//! computed at run time is skipped whole.

use std::fmt::Write as _;

use crate::fxhash::{HashMap, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Number, Value};
use wfc_ir::{
    AgentOptions, ArrayElement, Expr, ExprKind, Literal, ObjectProp, OptionKey, PropKey, Span,
    UnaryOp,
};

use super::thunk_expected::Decls;
use super::unknown_global::closest;
use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::schema_keywords::{Keywords, BOUNDS};

pub const RULE: Rule = Rule {
    code: "schema-invalid",
    severity: Severity::Error,
    summary: "An `agent()` `schema` is not a valid JSON Schema, or contradicts itself.",
    explanation: "With `schema`, the agent must answer through a structured-output tool whose input is \
validated against that JSON Schema. The runtime checks the schema **before the subagent starts** \
and fails the call when it provably contradicts itself, such as a `required` key that \
`additionalProperties: false` rules out; a schema that is not valid JSON Schema (a misspelt \
`type`, `required: true` on a property, draft-3 style) fails or silently constrains nothing.\n\n\
wfc validates schemas written as literals (directly or through `const` names) against the JSON \
Schema meta-schema (draft 2020-12 unless `$schema` names another draft) and checks, through \
`properties`, `items` and the combinators: every `type` is one of `string`, `number`, `integer`, \
`boolean`, `object`, `array`, `null`; `required` is an array of property names, each of them in \
`properties` when `additionalProperties` is `false`; no `minItems`/`minLength`/`minProperties`/\
`minimum` exceeds its maximum. Fix the value the diagnostic points at.",
    example: "export const meta = { name: 'x', description: 'y' }\nconst r = await agent('list the bugs', {\n  schema: {\n    type: 'object',\n    required: ['bugs', 'severity'],\n    properties: { bugs: { type: 'array', items: { type: 'string' } } },\n    additionalProperties: false,\n  },\n})\nreturn r?.bugs\n",
    check: Check::Ir(check),
};

/// At most this many meta-schema errors are reported per schema.
const MAX_META_ERRORS: usize = 3;
/// Deeper literals are not converted.
const MAX_NESTING: usize = 64;

const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "object", "array", "null",
];

fn check(ctx: &mut RuleContext<'_>) {
    let decls = ctx.decls();
    let mut found = Vec::new();
    // Schemas shared through a `const` are checked once.
    let mut checked = HashSet::default();
    ctx.index().primitives.iter().for_each(|&e| {
        let ExprKind::Agent(call) = &e.kind else {
            return;
        };
        let Some(schema) = call.options.as_ref().and_then(|o| match o {
            AgentOptions::Literal { .. } => o.get(OptionKey::Schema),
            AgentOptions::Dynamic { .. } => None,
        }) else {
            return;
        };
        if !checked.insert(decls.resolve(schema).span) {
            return;
        }
        let mut conv = Converter {
            decls,
            spans: None,
            pointer: String::new(),
        };
        let Some(value) = conv.convert(schema, 0) else {
            return;
        };
        let mut problems = Vec::new();
        check_schema(&value, &mut problems);
        if problems.is_empty() {
            return;
        }
        // Most schemas are fine: the span of every value is recorded only to place findings.
        conv.spans = Some(HashMap::default());
        conv.convert(schema, 0);
        let spans = conv.spans.unwrap_or_default();
        found.extend(problems.into_iter().map(|p| p.place(&spans, schema.span)));
    });
    let mut seen = HashSet::default();
    found.retain(|d: &Diagnostic| seen.insert((d.span, d.message.clone())));
    found.sort_by_key(|d| d.span);
    for d in found {
        ctx.report(d);
    }
}

/// Turns a literal expression into JSON and, when asked, records the span of every value by JSON
/// pointer.
struct Converter<'d, 'a> {
    decls: &'d Decls<'a>,
    spans: Option<HashMap<String, Span>>,
    /// Where the value being converted is, while spans are recorded.
    pointer: String,
}

impl Converter<'_, '_> {
    /// `None` when any part is not a literal.
    fn convert(&mut self, expr: &Expr, depth: usize) -> Option<Value> {
        if depth > MAX_NESTING {
            return None;
        }
        let expr = self.decls.resolve(expr);
        if let Some(spans) = &mut self.spans {
            spans.entry(self.pointer.clone()).or_insert(expr.span);
        }
        Some(match &expr.kind {
            ExprKind::Literal { value } => match value {
                Literal::Null => Value::Null,
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Number(n) => Value::Number(number(n.0)?),
                Literal::String(s) => Value::String(s.to_string()),
                Literal::Undefined => return None,
            },
            ExprKind::Template { quasis, exprs } if exprs.is_empty() => {
                Value::String(quasis.concat())
            }
            ExprKind::Unary {
                op: UnaryOp::Minus,
                arg,
            } => match &arg.kind {
                ExprKind::Literal {
                    value: Literal::Number(n),
                } => Value::Number(number(-n.0)?),
                _ => return None,
            },
            ExprKind::Array { elements } => {
                let mut out = Vec::new();
                self.array_into(elements, depth, &mut out)?;
                Value::Array(out)
            }
            ExprKind::Object { props } => {
                let mut out = Map::new();
                self.object_into(props, depth, &mut out)?;
                Value::Object(out)
            }
            _ => return None,
        })
    }

    /// Converts `expr` as the value at `segment` of the current pointer.
    fn convert_at(
        &mut self,
        segment: impl std::fmt::Display,
        expr: &Expr,
        depth: usize,
    ) -> Option<Value> {
        if self.spans.is_none() {
            return self.convert(expr, depth);
        }
        let len = self.pointer.len();
        // Writing to a `String` cannot fail.
        let _ = write!(self.pointer, "/{segment}");
        let v = self.convert(expr, depth);
        self.pointer.truncate(len);
        v
    }

    fn array_into(
        &mut self,
        elements: &[ArrayElement],
        depth: usize,
        out: &mut Vec<Value>,
    ) -> Option<()> {
        for el in elements {
            match el {
                ArrayElement::Expr { expr } if is_undefined(expr) => out.push(Value::Null),
                ArrayElement::Expr { expr } => {
                    let v = self.convert_at(out.len(), expr, depth + 1);
                    out.push(v?);
                }
                ArrayElement::Spread { expr } => match &self.decls.resolve(expr).kind {
                    ExprKind::Array { elements } => self.array_into(elements, depth + 1, out)?,
                    _ => return None,
                },
                ArrayElement::Hole => out.push(Value::Null),
            }
        }
        Some(())
    }

    fn object_into(
        &mut self,
        props: &[ObjectProp],
        depth: usize,
        out: &mut Map<String, Value>,
    ) -> Option<()> {
        for p in props {
            match p {
                ObjectProp::KeyValue {
                    key: PropKey::Named { name, .. },
                    value,
                } => {
                    if is_undefined(value) {
                        // `JSON.stringify` drops it.
                        out.remove(name.as_str());
                        continue;
                    }
                    let v = self.convert_at(Escaped(name), value, depth + 1);
                    out.insert(name.to_string(), v?);
                }
                ObjectProp::KeyValue {
                    key: PropKey::Computed { .. },
                    ..
                } => return None,
                ObjectProp::Spread { expr } => match &self.decls.resolve(expr).kind {
                    ExprKind::Object { props } => self.object_into(props, depth + 1, out)?,
                    _ => return None,
                },
            }
        }
        Some(())
    }
}

fn is_undefined(expr: &Expr) -> bool {
    matches!(
        expr.kind,
        ExprKind::Literal {
            value: Literal::Undefined
        }
    )
}

/// A JSON number for a JavaScript number; `None` for `NaN` and the infinities.
fn number(n: f64) -> Option<Number> {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Some(Number::from(n as i64))
    } else {
        Number::from_f64(n)
    }
}

/// A key as a JSON pointer segment (RFC 6901).
struct Escaped<'k>(&'k str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '~' => f.write_str("~0")?,
                '/' => f.write_str("~1")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// The span of the value at `pointer`, or of its closest enclosing value.
fn span_at(spans: &HashMap<String, Span>, mut pointer: &str, fallback: Span) -> Span {
    loop {
        if let Some(span) = spans.get(pointer) {
            return *span;
        }
        match pointer.rfind('/') {
            Some(i) => pointer = &pointer[..i],
            None => return fallback,
        }
    }
}

/// The findings on one schema, each at a JSON pointer (placed in the source later).
fn check_schema(schema: &Value, out: &mut Vec<Finding>) {
    if !schema.is_object() {
        out.push(Finding {
            pointer: None,
            message: "`schema` must be a JSON Schema object".to_owned(),
            label: "not an object".to_owned(),
            help: "describe the answer as an object: `{ type: 'object', properties: { … }, required: [ … ] }`".to_owned(),
        });
        return;
    }
    let own_start = out.len();
    check_subschema(schema, &mut String::new(), out);
    let mut covered: Vec<String> = out[own_start..]
        .iter()
        .filter_map(|f| f.pointer.clone())
        .collect();
    let mut reported = 0;
    for MetaError {
        pointer,
        message,
        help,
    } in meta_errors(schema)
    {
        if covered
            .iter()
            .any(|c| nested(&pointer, c) || nested(c, &pointer))
        {
            continue;
        }
        let shown = if pointer.is_empty() { "/" } else { &pointer };
        out.push(Finding {
            pointer: Some(pointer.clone()),
            message: format!("`schema` is not a valid JSON Schema: {message}"),
            label: format!("invalid at `{shown}`"),
            help,
        });
        covered.push(pointer);
        reported += 1;
        if reported >= MAX_META_ERRORS {
            break;
        }
    }
}

/// Whether JSON pointer `inner` is `outer` or inside it.
fn nested(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// One meta-schema violation.
struct MetaError {
    pointer: String,
    message: String,
    help: String,
}

/// The first meta-schema errors, with a fix for each.
fn meta_errors(schema: &Value) -> Vec<MetaError> {
    let draft = schema
        .get("$schema")
        .map(|s| s.as_str().unwrap_or_default());
    let validator = match draft {
        None => jsonschema::draft202012::meta::validator(),
        Some(uri) if uri.contains("2020-12") => jsonschema::draft202012::meta::validator(),
        Some(uri) if uri.contains("2019-09") => jsonschema::draft201909::meta::validator(),
        Some(uri) if uri.contains("draft-07") => jsonschema::draft7::meta::validator(),
        Some(uri) if uri.contains("draft-06") => jsonschema::draft6::meta::validator(),
        Some(uri) if uri.contains("draft-04") => jsonschema::draft4::meta::validator(),
        // An unknown meta-schema: nothing to validate against offline.
        Some(_) => return Vec::new(),
    };
    // The fast path: most schemas are valid, and collecting errors costs far more.
    if validator.is_valid(schema) {
        return Vec::new();
    }
    let errors: Vec<MetaError> = validator
        .iter_errors(schema)
        .take(MAX_META_ERRORS * 4)
        .map(|e| MetaError {
            pointer: e.instance_path().as_str().to_owned(),
            message: e.to_string(),
            help: meta_help(e.kind()),
        })
        .collect();
    errors
}

fn meta_help(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Type {
            kind: TypeKind::Single(t),
        } => format!("write a JSON {t} here"),
        ValidationErrorKind::UniqueItems => "remove the repeated entries".to_owned(),
        ValidationErrorKind::Minimum { limit } => format!("use a value of at least {limit}"),
        ValidationErrorKind::MinItems { limit } => format!("list at least {limit} item(s)"),
        ValidationErrorKind::Enum { options } => format!("use one of {options}"),
        _ => "fix this value so the schema validates against the JSON Schema meta-schema (draft 2020-12 unless `$schema` names another draft)".to_owned(),
    }
}

/// A contradiction or mistake found by wfc's own checks.
struct Finding {
    /// Where in the schema; `None` for the whole `schema` option.
    pointer: Option<String>,
    message: String,
    label: String,
    help: String,
}

impl Finding {
    /// The diagnostic, at the value the pointer leads to (or its closest enclosing value).
    fn place(self, spans: &HashMap<String, Span>, whole: Span) -> Diagnostic {
        let span = match &self.pointer {
            Some(p) => span_at(spans, p, whole),
            None => whole,
        };
        Diagnostic::error(RULE.code, span, self.message)
            .label(self.label)
            .help(self.help)
    }
}

/// Checks one (sub)schema, at `pointer`, and recurses into the subschemas it holds.
fn check_subschema(schema: &Value, pointer: &mut String, out: &mut Vec<Finding>) {
    let Value::Object(map) = schema else {
        return;
    };
    let k = Keywords::scan(map.iter().map(|(key, v)| (key.as_str(), v)));
    check_type(&k, pointer, out);
    check_required(&k, pointer, out);
    for (i, (min, max)) in BOUNDS.iter().enumerate() {
        let (Some(lo), Some(hi)) = k.bounds[i] else {
            continue;
        };
        let (Some(low), Some(high)) = (lo.as_f64(), hi.as_f64()) else {
            continue;
        };
        if low > high {
            out.push(Finding {
                pointer: Some(format!("{pointer}/{min}")),
                message: format!("`{min}` ({lo}) is greater than `{max}` ({hi})"),
                label: "no value can satisfy both bounds".to_owned(),
                help: format!("lower `{min}` or raise `{max}`"),
            });
        }
    }
    for (key, value) in map {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(children) = value {
                    for (name, child) in children {
                        at(pointer, Escaped(key), |p| {
                            at(p, Escaped(name), |p| check_subschema(child, p, out))
                        });
                    }
                }
            }
            "items" | "prefixItems" | "anyOf" | "oneOf" | "allOf" => match value {
                Value::Array(children) => {
                    for (i, child) in children.iter().enumerate() {
                        at(pointer, Escaped(key), |p| {
                            at(p, i, |p| check_subschema(child, p, out))
                        });
                    }
                }
                other => at(pointer, Escaped(key), |p| check_subschema(other, p, out)),
            },
            "additionalProperties"
            | "additionalItems"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "contains"
            | "propertyNames"
            | "not"
            | "if"
            | "then"
            | "else" => at(pointer, Escaped(key), |p| check_subschema(value, p, out)),
            _ => {}
        }
    }
}

/// Runs `f` with `pointer` extended by one segment.
fn at(pointer: &mut String, segment: impl std::fmt::Display, f: impl FnOnce(&mut String)) {
    let len = pointer.len();
    // Writing to a `String` cannot fail.
    let _ = write!(pointer, "/{segment}");
    f(pointer);
    pointer.truncate(len);
}

fn check_type(k: &Keywords<'_, Value>, pointer: &str, out: &mut Vec<Finding>) {
    // The names, each with its index when `type` is an array.
    let names: Vec<(Option<usize>, &str)> = match k.type_ {
        Some(Value::String(t)) => vec![(None, t.as_str())],
        Some(Value::Array(ts)) => ts
            .iter()
            .enumerate()
            .filter_map(|(i, t)| Some((Some(i), t.as_str()?)))
            .collect(),
        _ => Vec::new(),
    };
    for (index, name) in names {
        if TYPES.contains(&name) {
            continue;
        }
        let at = match index {
            Some(i) => format!("{pointer}/type/{i}"),
            None => format!("{pointer}/type"),
        };
        let suggestion = match name {
            "int" | "long" => Some("integer"),
            "float" | "double" | "decimal" => Some("number"),
            "bool" => Some("boolean"),
            "str" | "text" => Some("string"),
            "list" | "tuple" => Some("array"),
            "dict" | "map" | "record" => Some("object"),
            _ => closest(name, TYPES),
        };
        let help = match suggestion {
            Some(s) => format!("did you mean `'{s}'`?"),
            None => format!(
                "use one of {}",
                TYPES.map(|t| format!("`'{t}'`")).join(", ")
            ),
        };
        out.push(Finding {
            pointer: Some(at),
            message: format!("`{name}` is not a JSON Schema type"),
            label: "unknown type".to_owned(),
            help,
        });
    }
}

fn check_required(k: &Keywords<'_, Value>, pointer: &str, out: &mut Vec<Finding>) {
    let Some(required) = k.required else {
        return;
    };
    let at = || format!("{pointer}/required");
    let Value::Array(keys) = required else {
        let help = if required.is_boolean() {
            "`required: true` on a property is draft-3 style; list the key in the parent object's `required` array instead: `required: ['name']`"
        } else {
            "list the required keys: `required: ['name', 'kind']`"
        };
        out.push(Finding {
            pointer: Some(at()),
            message: "`required` must be an array of property names".to_owned(),
            label: format!("{} is not an array", kind_of(required)),
            help: help.to_owned(),
        });
        return;
    };
    if let Some((i, bad)) = keys.iter().enumerate().find(|(_, k)| !k.is_string()) {
        out.push(Finding {
            pointer: Some(format!("{}/{i}", at())),
            message: "`required` must be an array of property names".to_owned(),
            label: format!("{} is not a property name", kind_of(bad)),
            help: "write each required key as a string: `required: ['name', 'kind']`".to_owned(),
        });
        return;
    }
    let closed = k.additional_properties == Some(&Value::Bool(false)) && !k.pattern_properties;
    if !closed {
        return;
    }
    let properties = k.properties.and_then(Value::as_object);
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = key.as_str() else { continue };
        if properties.is_some_and(|p| p.contains_key(key)) {
            continue;
        }
        out.push(Finding {
            pointer: Some(format!("{}/{i}", at())),
            message: format!("required key `{key}` is ruled out by `additionalProperties: false`"),
            label: "not in `properties`: the runtime rejects this schema before the agent starts"
                .to_owned(),
            help: format!("add `{key}` to `properties`, or remove it from `required`"),
        });
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "`null`",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_util::{diagnostics_for, spanned};
    use crate::rules::thunk_expected::spans_for;

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    fn spans(src: &str) -> Vec<String> {
        spans_for("schema-invalid", src)
    }

    #[test]
    fn required_key_ruled_out_by_additional_properties() {
        let src = format!(
            "{META}await agent('p', {{ schema: {{ type: 'object', required: ['bugs', 'severity'], properties: {{ bugs: {{ type: 'array' }} }}, additionalProperties: false }} }})\n"
        );
        let d = diagnostics_for("schema-invalid", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'severity'");
        assert_eq!(
            d[0].message,
            "required key `severity` is ruled out by `additionalProperties: false`"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("add `severity` to `properties`, or remove it from `required`")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn unknown_type_through_consts_and_nesting() {
        let src = format!(
            "{META}const ITEM = {{ type: 'object', properties: {{ line: {{ type: 'int' }}, file: {{ type: 'strng' }} }} }}\nconst LIST = {{ type: 'object', properties: {{ items: {{ type: 'array', items: ITEM }} }} }}\nawait agent('p', {{ schema: LIST }})\nawait agent('q', {{ schema: LIST }})\n"
        );
        let d = diagnostics_for("schema-invalid", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        // Reported once each, at the const that holds them, although two agents use it.
        assert_eq!(spans, ["'int'", "'strng'"]);
        assert_eq!(d[0].message, "`int` is not a JSON Schema type");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `'integer'`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `'string'`?"));
    }

    #[test]
    fn required_true_and_bounds() {
        let src = format!(
            "{META}await agent('p', {{ schema: {{ type: 'object', properties: {{ name: {{ type: 'string', required: true }}, tags: {{ type: 'array', minItems: 3, maxItems: 1 }} }} }} }})\n"
        );
        let d = diagnostics_for("schema-invalid", &src);
        let spans: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        assert_eq!(spans, ["true", "3"]);
        assert_eq!(
            d[0].message,
            "`required` must be an array of property names"
        );
        assert!(d[0].help.as_deref().unwrap_or_default().contains("draft-3"));
        assert_eq!(
            d[1].message,
            "`minItems` (3) is greater than `maxItems` (1)"
        );
    }

    #[test]
    fn meta_schema_errors_carry_their_pointer() {
        let src = format!(
            "{META}await agent('p', {{ schema: {{ type: 'object', properties: {{ n: {{ type: 'integer', minimum: 'zero' }} }} }} }})\n"
        );
        let d = diagnostics_for("schema-invalid", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'zero'");
        assert!(
            d[0].message
                .starts_with("`schema` is not a valid JSON Schema: "),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].label.as_deref(),
            Some("invalid at `/properties/n/minimum`")
        );
        assert_eq!(d[0].help.as_deref(), Some("write a JSON number here"));
    }

    #[test]
    fn schema_that_is_not_an_object() {
        let src = format!("{META}await agent('p', {{ schema: 'object' }})\n");
        let d = diagnostics_for("schema-invalid", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "'object'");
        assert_eq!(d[0].message, "`schema` must be a JSON Schema object");
    }

    #[test]
    fn spreads_of_consts_are_followed() {
        let src = format!(
            "{META}const BASE = {{ type: 'object', additionalProperties: false, properties: {{ a: {{ type: 'string' }} }} }}\nawait agent('p', {{ schema: {{ ...BASE, required: ['a', 'b'] }} }})\n"
        );
        assert_eq!(spans(&src), ["'b'"]);
    }

    #[test]
    fn valid_and_dynamic_schemas_are_quiet() {
        let src = format!(
            "{META}const SEVERITY = {{ type: 'string', enum: ['low', 'high'] }}\nconst KINDS = ['a', 'b']\nconst F = {{ type: 'object', required: ['s', 'k'], properties: {{ s: SEVERITY, k: {{ type: ['string', 'null'], enum: [...KINDS, null] }}, n: {{ type: 'integer', minimum: 0, maximum: 10 }} }}, additionalProperties: false }}\nawait agent('p', {{ schema: F }})\nawait agent('p', {{ schema: {{ type: 'object', properties: {{ x: {{ enum: Object.keys(F) }} }}, required: ['nope'], additionalProperties: false }} }})\nawait agent('p', {{ schema: args.schema }})\nlet S = {{ type: 'strng' }}\nawait agent('p', {{ schema: S }})\nawait agent('p', {{ schema: {{ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: {{ a: {{ type: 'string' }} }} }} }})\nawait agent('p', {{ schema: {{ type: 'object', required: ['x-1'], patternProperties: {{ '^x-': {{}} }}, additionalProperties: false }} }})\n"
        );
        assert!(
            spans(&src).is_empty(),
            "{:?}",
            diagnostics_for("schema-invalid", &src)
        );
    }
}
