//! The golden vectors of the reference runtime (`tests/reference/sim-vectors.json`).

use serde_json::Value;
use wfc_executor::backend::sim::{js_stringify, simulate};
use wfc_executor::{AgentRequest, SimBackend};

const VECTORS: &str = include_str!("../../tests/reference/sim-vectors.json");

/// Vectors whose schema is not a valid schema (`type: "strng"`) and cannot be satisfied (an
/// inverted `minimum`/`maximum`): the sim answers it anyway, but there is nothing to validate.
const NOT_VALIDATED: &[&str] = &["keywords: const, anyOf, oneOf, type arrays, min/max, lengths"];

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_str(VECTORS).expect("sim-vectors.json is JSON");
    file["vectors"]
        .as_array()
        .expect("a `vectors` array")
        .clone()
}

#[test]
fn golden_vectors_match() {
    let vectors = vectors();
    assert!(vectors.len() >= 10, "only {} vectors", vectors.len());
    for v in &vectors {
        let name = v["name"].as_str().expect("name");
        let prompt = v["prompt"].as_str().expect("prompt");
        let out = SimBackend
            .call(&AgentRequest::new(prompt, v["options"].clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(out.key, v["key"].as_str().expect("key"), "{name}: key");
        assert_eq!(
            format!("{:08x}", out.seed),
            v["seed"].as_str().expect("seed"),
            "{name}: seed"
        );
        assert_eq!(out.answer, v["answer"], "{name}: answer");
        // Byte for byte, in the runtime's property order.
        assert_eq!(
            js_stringify(&out.answer),
            js_stringify(&v["answer"]),
            "{name}: answer text"
        );
        assert_eq!(
            serde_json::to_string(&out.answer).expect("serializable"),
            serde_json::to_string(&v["answer"]).expect("serializable"),
            "{name}: answer property order"
        );
        assert_eq!(
            Some(out.duration_ms),
            v["duration_ms"].as_u64(),
            "{name}: duration"
        );
        assert_eq!(
            Some(js_stringify(&out.answer).encode_utf16().count() as u64),
            v["answer_json_length"].as_u64(),
            "{name}: answer_json_length"
        );
        // `simulate` alone gives the same outcome.
        assert_eq!(simulate(prompt, &v["options"]).as_ref(), Ok(&out), "{name}");
    }
}

#[test]
fn golden_answers_validate() {
    for v in vectors() {
        let name = v["name"].as_str().expect("name");
        let Some(schema) = v["options"].get("schema").filter(|s| !s.is_null()) else {
            continue;
        };
        if NOT_VALIDATED.contains(&name) {
            continue;
        }
        let validator =
            jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("{name}: bad schema: {e}"));
        assert!(validator.is_valid(&v["answer"]), "{name}: {}", v["answer"]);
    }
}
