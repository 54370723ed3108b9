//! How many passes the analysis takes, and that stopping early never misses a write.

use super::{run, Outcome};

pub(super) fn analyse(body: &str) -> Outcome {
    let text = format!("export const meta = {{ name: 'l', description: 'loops' }}\n{body}\n");
    let (w, d) = crate::compile(&text);
    assert!(d.is_empty(), "{d:?}");
    run(&w.expect("lowers"), &text, None)
}

/// The agents the whole script spawns at most, when that is a number.
pub(super) fn most_agents(out: &Outcome) -> Option<f64> {
    out.plan.total().hi.as_constant()
}

/// The script's bound is a number of at least `n` (it covers what the script really spawns).
fn assert_at_least(out: &Outcome, n: f64) {
    let most = most_agents(out);
    assert!(
        most.is_some_and(|m| m >= n),
        "{most:?}, expected at least {n}"
    );
}

#[test]
fn a_counted_loop_converges_in_one_pass() {
    // The counter's range is written before the body reads it.
    let out = analyse("for (let r = 0; r < 3; r++) await agent(`r ${r}`)");
    assert_eq!(out.passes, 1);
    assert_eq!(most_agents(&out), Some(3.0));
}

#[test]
fn an_accumulator_pushed_before_it_is_read_converges_in_one_pass() {
    let out = analyse(
        "const acc = []\nfor (let i = 0; i < 4; i++) acc.push(await agent(`a ${i}`))\nacc.push('x')\nawait parallel(acc.map(x => () => agent(`b ${x}`)))",
    );
    assert_eq!(out.passes, 1);
    // 4 first, then one per element: 4 + 1 pushed.
    assert_eq!(most_agents(&out), Some(9.0));
}

#[test]
fn a_set_and_a_map_filled_before_they_are_read_converge_in_one_pass() {
    let out = analyse(
        "const seen = new Set()\nconst by = new Map()\nfor (let i = 0; i < 3; i++) { seen.add(i); by.set(i, i) }\nawait parallel([...seen].map(x => () => agent(`s ${x}`)))\nfor (const [k] of by) await agent(`m ${k}`)",
    );
    assert_eq!(out.passes, 1);
    assert_eq!(most_agents(&out), Some(6.0));
}

#[test]
fn a_read_before_a_later_push_takes_another_pass() {
    // In one pass the first read sees an empty queue; the fan-outs over it really start 0 + 1 + 2
    // agents.
    let out = analyse(
        "const q = []\nfor (let i = 0; i < 3; i++) {\n  await parallel(q.map(x => () => agent(`q ${x}`)))\n  q.push(i)\n}",
    );
    assert!(out.passes >= 2, "{}", out.passes);
    assert_at_least(&out, 3.0);
}

#[test]
fn a_binding_written_after_it_is_read_takes_another_pass() {
    let out = analyse(
        "let n = 1\nfor (let i = 0; i < 2; i++) {\n  await parallel(Array.from({ length: n }, () => () => agent('x')))\n  n = 5\n}",
    );
    assert!(out.passes >= 2, "{}", out.passes);
    assert_at_least(&out, 6.0);
}

#[test]
fn a_push_whose_length_is_used_is_not_a_known_number() {
    // `push` returns the new length; the lazy path does not read it, so it must not claim one.
    let out = analyse(
        "const acc = []\nconst n = acc.push(1, 2)\nfor (let i = 0; i < n; i++) await agent(`n ${i}`)",
    );
    assert_eq!(most_agents(&out), None);
}

#[test]
fn chained_adds_still_grow_the_set() {
    // `add` returns the set: the second `add` applies to what the first returned.
    let out = analyse(
        "const s = new Set()\ns.add(1).add(2).add(3)\nawait parallel([...s].map(x => () => agent(`s ${x}`)))",
    );
    assert_at_least(&out, 3.0);
}

#[test]
fn an_accumulator_pushed_through_a_callback_is_counted() {
    let out = analyse(
        "const acc = []\n;['a', 'b'].forEach(x => acc.push(x))\nawait parallel(acc.map(x => () => agent(x)))",
    );
    assert_at_least(&out, 2.0);
}

#[test]
fn a_var_declared_in_two_branches_keeps_both_growths() {
    let out = analyse(
        "if (args.a) { var xs = [] } else { var xs = [1] }\nxs.push(2)\nxs.push(3)\nawait parallel(xs.map(x => () => agent(`x ${x}`)))",
    );
    assert_at_least(&out, 3.0);
}

#[test]
fn a_closure_assigned_late_in_a_loop_runs_when_called_in_the_next_iteration() {
    // The call reads the closure from the previous pass's heap before this pass reaches the
    // arrow that creates it: its body must still be evaluated.
    let out = analyse(
        "let f = null\nfor (let k = 0; k < 3; k++) {\n  if (f) await f()\n  f = () => agent('c')\n}",
    );
    assert_at_least(&out, 2.0);
}

#[test]
fn a_counter_incremented_in_a_loop_is_bounded_by_its_increments() {
    // Before counters were recorded as growth, `n++` read the value back and grew it by one per
    // pass until it was widened (4 passes, and no bound).
    let out = analyse(
        "let n = 0\nfor (let i = 0; i < 5; i++) { if (i % 2) n++ }\nfor (let j = 0; j < n; j++) await agent(`n ${j}`)",
    );
    assert_eq!(out.passes, 1);
    assert_eq!(most_agents(&out), Some(5.0));
}

#[test]
fn a_round_counter_read_by_the_loop_test_takes_two_passes() {
    // The test reads `round` before the body increments it: one more pass confirms the growth.
    let out = analyse(
        "let round = 0\nlet ok = false\nwhile (!ok && round < 3) {\n  round++\n  ok = await agent(`r ${round}`)\n}\nfor (let i = 0; i < round; i++) await agent(`after ${i}`)",
    );
    assert_eq!(out.passes, 2);
    assert_at_least(&out, 6.0);
}

#[test]
fn a_counter_reset_to_a_larger_literal_starts_from_it() {
    // 1, 2, 3 → 7, 8, 9: nine agents; the bound is the largest literal plus every increment.
    let out = analyse(
        "let dry = 0\nfor (let r = 0; r < 5; r++) { dry++; if (r === 2) dry = 7 }\nfor (let i = 0; i < dry; i++) await agent(`d ${i}`)",
    );
    assert!(out.passes <= 2, "{}", out.passes);
    assert_eq!(most_agents(&out), Some(12.0));
}

#[test]
fn increments_made_through_a_helper_count_every_call() {
    let out = analyse(
        "let calls = 0\nconst bump = () => { calls += 2 }\nfor (let i = 0; i < 3; i++) bump()\nbump()\nfor (let i = 0; i < calls; i++) await agent(`c ${i}`)",
    );
    assert_eq!(most_agents(&out), Some(8.0));
}

#[test]
fn the_value_of_an_increment_expression_covers_the_counter() {
    // `k++` used as a value reads the counter, growth included: `last` reaches 3.
    let out = analyse(
        "let k = 0\nlet last = 0\nfor (let i = 0; i < 4; i++) last = k++\nfor (let i = 0; i < last; i++) await agent(`l ${i}`)",
    );
    assert_at_least(&out, 3.0);
    assert!(most_agents(&out).is_some());
}

#[test]
fn a_binding_written_other_than_by_literals_and_increments_is_no_counter() {
    // `n = n * 2` can grow past any count of increments: the bound must not come from them.
    let out = analyse(
        "let n = 1\nfor (let i = 0; i < 3; i++) { n++; n = n * 2 }\nfor (let j = 0; j < n; j++) await agent(`m ${j}`)",
    );
    assert!(
        most_agents(&out).is_none_or(|m| m >= 22.0),
        "{:?}",
        most_agents(&out)
    );
}

#[test]
fn a_counter_that_feeds_the_loop_incrementing_it_is_unbounded_and_says_why() {
    let out = analyse(
        "let n = 1\nfor (let i = 0; i < n; i++) { if (i < 3) n++ }\nfor (let j = 0; j < n; j++) await agent(`x ${j}`)",
    );
    assert_eq!(most_agents(&out), None);
    let why = format!("{:?}", out.plan.total().hi);
    assert!(why.contains("the counter keeps growing"), "{why}");
}

#[test]
fn a_result_schema_is_read_from_its_value() {
    // `maxItems` bounds the fan-out; `undefined` keywords are left out as JSON leaves them out;
    // a fractional `minItems` guarantees nothing; a schema with an unknown value has no shape.
    let out = analyse(
        "const S = { type: 'object', properties: { xs: { type: 'array', maxItems: 3, minItems: 1.5, items: { type: 'string' } }, note: undefined } }\nconst r = await agent('a', { schema: S })\nawait parallel(r.xs.map(x => () => agent(`b ${x}`)))",
    );
    assert_eq!(most_agents(&out), Some(4.0));
    assert_eq!(out.plan.total().lo, 1);
    let open = analyse(
        "const r = await agent('a', { schema: { type: 'object', properties: { xs: { type: 'array', maxItems: args.n } } } })\nawait parallel(r.xs.map(x => () => agent(`b ${x}`)))",
    );
    assert_eq!(most_agents(&open), None);
}

#[test]
fn any_of_and_enum_schemas_join_their_options() {
    let out = analyse(
        "const r = await agent('a', { schema: { anyOf: [{ type: 'array', maxItems: 2 }, { type: 'array', maxItems: 5 }] } })\nawait parallel(r.map(x => () => agent(`b ${x}`)))\nconst k = await agent('k', { schema: { enum: [1, 2, 3] } })\nfor (let i = 0; i < k; i++) await agent(`c ${i}`)",
    );
    assert_eq!(most_agents(&out), Some(1.0 + 5.0 + 1.0 + 3.0));
}

#[test]
fn thunks_behind_and_are_called() {
    // `x && f` is `f` or a falsy value: a call of it runs `f`, whatever `x` is (a boolean, an
    // input, an agent's result the analysis knows nothing about).
    let out = analyse(
        "const r = await agent('r')\nawait parallel([() => agent('a'), args.deep && (() => agent('b')), args.files.length > 2 && (() => agent('c')), r && (() => agent('d'))].filter(Boolean))",
    );
    assert_eq!(most_agents(&out), Some(5.0));
}

#[test]
fn thunks_stored_in_a_map_are_called() {
    let out = analyse(
        "const jobs = new Map([['a', () => agent('a')], ['b', () => agent('b')]])\nawait parallel([...jobs.values()])\nawait jobs.get('a')()",
    );
    // One agent per element (two), then one for whichever thunk `get` returns.
    assert_eq!(most_agents(&out), Some(3.0));
}

const LISTED: &str = "const r = await agent('list', { schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } } })\n";

#[test]
fn a_list_cut_in_place_after_a_length_test_is_bounded() {
    for cut in [
        "let files = r.files\nif (files.length > 40) {\n  log('dropping some')\n  files = files.slice(0, 40)\n}",
        "let files = r.files\nif (files.length >= 41) files = files.slice(0, 40)",
        "const MAX = 40\nlet files = r.files\nif (MAX < files.length) files = files.slice(0, MAX)",
    ] {
        let out = analyse(&format!(
            "{LISTED}{cut}\nawait parallel(files.map(f => () => agent(f)))"
        ));
        assert_eq!(most_agents(&out), Some(41.0), "{cut}");
    }
}

#[test]
fn a_top_level_guard_that_ends_the_run_bounds_what_follows() {
    for guard in [
        "if (files.length > 40) throw new Error('too many files')",
        "if (files.length >= 41) { log('too many'); return { skipped: true } }",
        "if (files.length > 40) return\nelse log('ok')",
    ] {
        let out = analyse(&format!(
            "{LISTED}const files = r.files\n{guard}\nawait parallel(files.map(f => () => agent(f)))"
        ));
        assert_eq!(most_agents(&out), Some(41.0), "{guard}");
    }
}

#[test]
fn a_guard_whose_exit_the_script_survives_bounds_nothing() {
    // A `return` from a helper, a caught `throw`, a `break` out of a loop: the code after them
    // still runs with the long list.
    for guard in [
        "function check() { if (files.length > 40) return }\ncheck()",
        "try { if (files.length > 40) throw new Error('x') } catch {}",
        "for (const x of [1]) { if (files.length > 40) break }",
    ] {
        let out = analyse(&format!(
            "{LISTED}const files = r.files\n{guard}\nawait parallel(files.map(f => () => agent(f)))"
        ));
        assert_eq!(most_agents(&out), None, "{guard}");
    }
}

#[test]
fn splice_takes_at_most_its_delete_count() {
    let out = analyse(&format!(
        "{LISTED}const q = [...r.files]\nawait parallel(q.splice(0, 10).map(f => () => agent(f)))\nawait parallel(q.splice(2, undefined).map(f => () => agent(f)))"
    ));
    assert_eq!(most_agents(&out), Some(11.0));
    let all = analyse(&format!(
        "{LISTED}const q = [...r.files]\nawait parallel(q.splice(1).map(f => () => agent(f)))"
    ));
    assert_eq!(most_agents(&all), None);
}

#[test]
fn a_round_counter_guard_in_the_body_bounds_the_loop() {
    for (body, real) in [
        ("let round = 0\nwhile (true) {\n  round++\n  if (round > 3) break\n  await agent('fix')\n}", 3.0),
        ("let round = 0\nwhile (true) {\n  if (++round > 3) break\n  await agent('fix')\n}", 3.0),
        ("for (let round = 1; ; round++) {\n  const ok = await agent('fix')\n  if (ok || round >= 5) break\n}", 5.0),
        ("let round = 0\nwhile (true) {\n  const r = await agent('fix')\n  if (r) break\n  if (++round >= 5) throw new Error('gave up')\n}", 5.0),
        ("const MAX = 2\nlet round = 0\nfor (;;) {\n  await agent('fix')\n  if (round++ >= MAX) break\n}", 3.0),
    ] {
        let out = analyse(body);
        let most = most_agents(&out);
        assert!(
            most.is_some_and(|m| m >= real && m <= real + 2.0),
            "{body}: {most:?}, really {real}"
        );
    }
}

#[test]
fn a_guard_that_some_pass_may_skip_or_never_reach_bounds_nothing() {
    for body in [
        // Declared in the loop: it starts over on every pass.
        "while (true) {\n  let round = 0\n  round++\n  if (round > 3) break\n  await agent('fix')\n}",
        // A `continue` before the guard skips it.
        "let round = 0\nwhile (true) {\n  if (args.x) continue\n  round++\n  if (round > 3) break\n  await agent('fix')\n}",
        // Incremented only on some passes.
        "let round = 0\nwhile (true) {\n  if (args.x) round++\n  if (round > 3) break\n  await agent('fix')\n}",
        // Steps of a half.
        "let round = 0\nwhile (true) {\n  round += 0.5\n  if (round > 3) break\n  await agent('fix')\n}",
        // The guard is inside a branch.
        "let round = 0\nwhile (true) {\n  round++\n  if (args.x) { if (round > 3) break }\n  await agent('fix')\n}",
        // A labelled break leaves only the inner block.
        "let round = 0\nwhile (true) {\n  round++\n  inner: { if (round > 3) break inner }\n  await agent('fix')\n}",
    ] {
        let out = analyse(body);
        assert_eq!(most_agents(&out), None, "{body}");
    }
}

#[test]
fn a_map_iterates_over_its_entries() {
    // `for (const [k, f] of m)` destructures `[key, value]`: the value is the thunk.
    let out = analyse(
        "const m = new Map()\nm.set('a', () => agent('a'))\nawait m.get('a')()\nfor (const [k, f] of m) await f()\nfor (const [k, f] of m.entries()) await f()\nawait parallel([...m.values()])",
    );
    // One call for `get`, then one per entry in each loop and per value: the map holds one.
    assert_eq!(most_agents(&out), Some(4.0));
}

#[test]
fn a_schema_built_by_helpers_keeps_its_shape_whatever_its_required_list() {
    let helpers = "const arrOf = (items, max) => ({ type: 'array', items, maxItems: max })\nconst obj = (props, required = Object.keys(props)) => ({ type: 'object', properties: props, required, description: `fields ${required.join()}` })\n";
    let out = analyse(&format!(
        "{helpers}const r = await agent('a', {{ schema: obj({{ xs: arrOf({{ type: 'string' }}, 3) }}) }})\nawait parallel(r.xs.map(x => () => agent(`b ${{x}}`)))"
    ));
    assert_eq!(most_agents(&out), Some(4.0));
    // A bound the shape reads must still be known.
    let unknown = analyse(&format!(
        "{helpers}const r = await agent('a', {{ schema: obj({{ xs: arrOf({{ type: 'string' }}, args.n) }}) }})\nawait parallel(r.xs.map(x => () => agent(`b ${{x}}`)))"
    ));
    assert_eq!(most_agents(&unknown), None);
}

#[test]
fn for_await_binds_what_each_promise_resolves_to() {
    // The thunks come out of promises: awaiting them before calling counts their agents.
    let out = analyse(
        "const ps = [1, 2].map(async i => () => agent(`t ${i}`))\nfor await (const t of ps) await t()",
    );
    assert_eq!(most_agents(&out), Some(2.0));
}

#[test]
fn pipeline_stages_from_a_spread_are_counted() {
    // Known one by one: two stages per item.
    let known = analyse(
        "const S = [f => agent(`a ${f}`), (d, f) => agent(`b ${f}`)]\nawait pipeline([1, 2, 3], ...S)",
    );
    assert_eq!(most_agents(&known), Some(6.0));
    // Up to as many stages as the list holds, each any of them.
    let some = analyse(
        "const S = args.deep ? [f => agent(`a ${f}`), f => agent(`b ${f}`)] : []\nawait pipeline([1, 2, 3], f => agent(`first ${f}`), ...S)",
    );
    assert_eq!(most_agents(&some), Some(9.0));
}

#[test]
fn an_array_constructor_with_an_invalid_length_makes_no_array() {
    // `new Array(1e20)` and `Array(-1)` throw a RangeError; `Array(3)` has three holes.
    let out = analyse(
        "try { await parallel(new Array(1e20).fill(0).map(() => () => agent('a'))) } catch {}\ntry { await parallel(Array(-1).fill(0).map(() => () => agent('b'))) } catch {}\nawait parallel(Array(3).fill(0).map(() => () => agent('c')))",
    );
    assert_eq!(most_agents(&out), Some(3.0));
}

#[test]
fn a_schema_chosen_at_run_time_keeps_the_loosest_shape() {
    // With `args.wide` the agent gets the schema without `maxItems`: no bound.
    let schemas = "const OPEN = { type: 'object', properties: { xs: { type: 'array', items: { type: 'string' } } } }\nconst BOUNDED = { type: 'object', properties: { xs: { type: 'array', maxItems: 1, items: { type: 'string' } } } }\n";
    for pick in ["args.wide ? OPEN : BOUNDED", "args.schema || BOUNDED"] {
        let out = analyse(&format!(
            "{schemas}const r = await agent('list', {{ schema: {pick} }})\nawait parallel((r?.xs ?? []).map(x => () => agent(x)))"
        ));
        assert_eq!(most_agents(&out), None, "{pick}");
    }
}

#[test]
fn fill_puts_its_value_in_the_array() {
    let out = analyse(
        "const t = () => agent('same')\nawait parallel(Array(4).fill(t))\nconst a = new Array(2)\na.fill(() => agent('other'))\nawait parallel(a)",
    );
    assert_eq!(most_agents(&out), Some(6.0));
}

#[test]
fn a_deleted_schema_keyword_no_longer_bounds() {
    let out = analyse(
        "const S = { type: 'object', properties: { xs: { type: 'array', maxItems: 1 } } }\nif (args.wide) delete S.properties.xs.maxItems\nconst r = await agent('list', { schema: S })\nawait parallel((r?.xs ?? []).map(x => () => agent(x)))",
    );
    assert_eq!(most_agents(&out), None);
}

#[test]
fn an_agent_in_a_loop_test_runs_once_more_than_the_body() {
    for body in [
        "let i = 0\nwhile ((await agent('more?')) !== 'stop' && i < 3) i++",
        "for (let i = 0; (await agent('more?')) && i < 3; i++) log(i)",
    ] {
        let out = analyse(body);
        assert_eq!(most_agents(&out), Some(4.0), "{body}");
    }
}

#[test]
fn a_list_from_args_changed_in_place_is_not_tracked() {
    for change in [
        "files.push('README.md')",
        "args.files = args.files.concat(['x', 'y'])",
        "const A = args\nA.files = [...A.files, 'x']",
        "files.splice(0, 0, 'x')",
    ] {
        let out = analyse(&format!(
            "const files = args.files\nif (args.readme) {{ {change} }}\nawait parallel(args.files.map(f => () => agent(f)))"
        ));
        assert!(out.inputs_changed.is_some(), "{change}");
    }
    // A copy is tracked.
    let out = analyse(
        "const files = [...args.files]\nfiles.push('README.md')\nawait parallel(files.map(f => () => agent(f)))",
    );
    assert!(out.inputs_changed.is_none());
}

#[test]
fn the_args_idiom_keeps_known_args() {
    // With `--args` given, `args` is an object: `JSON.parse(args)` throws, and the normalised
    // value is that object, whichever way the idiom is written.
    let body = "const a = typeof args === 'string' ? JSON.parse(args) : args\nlet b = args\nif (typeof b === 'string') b = JSON.parse(b)\nconst c = (() => { try { return JSON.parse(args) } catch { return args } })()\nfor (const x of [a, b, c]) await parallel((x.files ?? []).map(f => () => agent(f)))";
    let text = format!("export const meta = {{ name: 'l', description: 'loops' }}\n{body}\n");
    let (w, d) = crate::compile(&text);
    assert!(d.is_empty(), "{d:?}");
    let known = serde_json::json!({ "files": ["a", "b"] });
    let out = run(&w.expect("lowers"), &text, Some(&known));
    assert_eq!(most_agents(&out), Some(6.0));
}

#[test]
fn a_ternary_cut_bounds_the_list() {
    let out = analyse(&format!(
        "{LISTED}const xs = r.files.length > 10 ? r.files.slice(0, 10) : r.files\nconst files = r.files\nconst ys = files.length > 10 ? files.slice(0, 10) : files\nawait parallel(ys.map(f => () => agent(f)))"
    ));
    assert_eq!(most_agents(&out), Some(11.0));
}

#[test]
fn a_counter_incremented_in_the_loop_test_bounds_the_loop() {
    for (body, real) in [
        ("let i = 0\nwhile (i++ < 3) await agent('x')", 3.0),
        ("let i = 0\ndo { await agent('x') } while (++i < 3)", 3.0),
        ("let k = 0\nwhile (++k <= 3) await agent('x')", 3.0),
    ] {
        let most = most_agents(&analyse(body));
        assert!(
            most.is_some_and(|m| m >= real && m <= real + 1.0),
            "{body}: {most:?}"
        );
    }
    // Half steps pass the test twice as often as whole ones.
    let half = analyse("let i = 0\nwhile (i < 3) { i += 0.5\nawait agent('x') }");
    assert_eq!(most_agents(&half), None);
}

#[test]
fn an_object_that_may_lack_keys_guarantees_none_of_them() {
    let out = analyse(
        "const o = args.big ? { a: 1, b: 2, c: 3 } : { a: 1 }\nfor (const k of Object.keys(o)) await agent(k)\nfor (const k in o) await agent(k)",
    );
    assert_eq!(most_agents(&out), Some(6.0));
    assert_eq!(out.plan.total().lo, 0);
}

#[test]
fn a_schema_keyword_added_on_one_path_does_not_bound_the_other() {
    let out = analyse(
        "const S = { type: 'object', properties: { xs: { type: 'array' } } }\nif (args.strict) S.properties.xs.maxItems = 1\nconst r = await agent('list', { schema: S })\nawait parallel((r?.xs ?? []).map(x => () => agent(x)))",
    );
    assert_eq!(most_agents(&out), None);
}

#[test]
fn a_schema_helper_with_an_optional_keyword_is_decided_by_a_known_argument() {
    // `...(max ? { maxItems: max } : {})`: with `max` known to be 3 the test is decided and the
    // list has at most 3 items. Where either helper call may have made the schema, `maxItems`
    // may be missing and there is no bound.
    let helpers = "const listOf = (items, max) => ({ type: 'array', items, ...(max ? { maxItems: max } : {}) })\nconst obj = props => ({ type: 'object', properties: props })\n";
    let bounded = analyse(&format!(
        "{helpers}const r = await agent('a', {{ schema: obj({{ xs: listOf({{ type: 'string' }}, 3) }}) }})\nawait parallel((r?.xs ?? []).map(x => () => agent(x)))"
    ));
    assert_eq!(most_agents(&bounded), Some(4.0));
    let either = analyse(&format!(
        "{helpers}const r = await agent('a', {{ schema: args.deep ? obj({{ xs: listOf({{ type: 'string' }}) }}) : obj({{ xs: listOf({{ type: 'string' }}, 3) }}) }})\nawait parallel((r?.xs ?? []).map(x => () => agent(x)))"
    ));
    assert_eq!(most_agents(&either), None);
}

#[test]
fn known_args_changed_in_place_are_not_tracked_either() {
    let text = "export const meta = { name: 'l', description: 'loops' }\nconst A = args\nA.files = [...A.files, 'x', 'y']\nargs.more.push('z')\nawait parallel(args.files.map(f => () => agent(f)))\n";
    let (w, d) = crate::compile(text);
    assert!(d.is_empty(), "{d:?}");
    let known = serde_json::json!({ "files": ["a"], "more": [] });
    let out = run(&w.expect("lowers"), text, Some(&known));
    assert!(out.inputs_changed.is_some());
}

#[test]
fn a_limit_that_may_be_undefined_bounds_nothing() {
    // `files.length > undefined` is false: nothing is cut, and `++round >= undefined` never
    // leaves the loop. Only literals and names declared with one are trusted as limits.
    for body in [
        "const CFG = { max: 40 }\nlet files = r.files\nif (files.length > CFG.max) files = files.slice(0, 40)\nawait parallel(files.map(f => () => agent(f)))",
        "let files = r.files\nif (files.length > args.max) throw new Error('too many')\nawait parallel(files.map(f => () => agent(f)))",
        "let round = 0\nwhile (true) {\n  await agent('fix')\n  if (++round >= args.rounds) break\n}",
    ] {
        let out = analyse(&format!("{LISTED}{body}"));
        assert_eq!(most_agents(&out), None, "{body}");
    }
}

#[test]
fn a_limit_defaulted_with_and_then_or_is_the_input_or_the_default() {
    // `(args && args.maxRounds) || 5`: when `args` is falsy the whole is 5, so the falsy side
    // of `&&` adds nothing.
    for body in [
        "const MAX = (args && args.maxRounds) || 5\nlet round = 0\nwhile (round < MAX) { round++; await agent('x') }",
        "const MAX = args && args.maxRounds\nfor (let i = 0; i < MAX; i++) await agent('x')",
    ] {
        let out = analyse(body);
        let most = out.plan.total().hi.to_string();
        assert!(most.contains("args.maxRounds"), "{body}: {most}");
    }
    // A falsy number is 0: `n && 3` is at most 3.
    let out =
        analyse("const n = args.n ? 2 : 0\nfor (let i = 0; i < (n && 3); i++) await agent('x')");
    assert_eq!(most_agents(&out), Some(3.0));
}

#[test]
fn closures_inside_what_an_unknown_function_receives_may_run() {
    // `loopUntilDry({ round: … })` and `helper.run([…])`: a host that adds functions may call
    // every closure it is handed, so none of them "never runs".
    for body in [
        "await loopUntilDry({ round: async (i) => agent(`r ${i}`), maxRounds: 3 })",
        "await helper.run([() => agent('a'), () => agent('b')])",
        "const o = { f: () => agent('y') }\nawait unknownFn(new Map([[1, o]]))",
    ] {
        let text = format!("export const meta = {{ name: 'l', description: 'loops' }}\n{body}\n");
        let (w, _) = crate::compile(&text);
        let out = run(&w.expect("lowers"), &text, None);
        assert_eq!(most_agents(&out), None, "{body}");
        assert!(!out.plan.total().hi.is_finite(), "{body}");
    }
}

#[test]
fn a_closure_reads_every_value_its_capture_was_declared_with() {
    // `wrap(a)` then `wrap(b)`: both wrappers run after the second call, and the first still
    // calls `a`. Each site runs at least once; reading only the last value said `a` never runs.
    let out = analyse(
        "const wrap = fn => async () => fn()\nconst a = () => agent('a')\nconst b = () => agent('b')\nawait parallel([wrap(a), wrap(b)])",
    );
    let counts: Vec<_> = out
        .plan
        .site_counts()
        .values()
        .map(|c| c.hi.as_constant())
        .collect();
    assert_eq!(counts.len(), 2);
    assert!(
        counts.iter().all(|c| c.is_some_and(|n| n >= 1.0)),
        "{counts:?}"
    );
    // A script-level constant is declared once: reading it from closures costs no pass.
    let out = analyse(
        "const S = { a: 1, b: 2 }\nconst T = [1, 2]\nawait parallel(T.map(k => () => agent(`${k} ${S.a}`)))",
    );
    assert_eq!(out.passes, 1);
}

#[test]
fn a_dictionary_has_at_most_one_key_per_computed_write() {
    // Group-by: `byFile[f.file] ||= []` runs once per finding, so there are at most as many
    // files as findings (the schema allows 4).
    let out = analyse(
        "const r = await agent('list', { schema: { type: 'object', properties: { xs: { type: 'array', maxItems: 4, items: { type: 'string' } } } } })\nconst byFile = {}\nfor (const x of r?.xs ?? []) (byFile[x] ||= []).push(x)\nawait parallel(Object.entries(byFile).map(([f, xs]) => () => agent(`${f} ${xs.length}`)))",
    );
    assert_eq!(most_agents(&out), Some(5.0));
    // Keys copied in from an object whose keys are unknown are not counted.
    let out =
        analyse("const o = {}\nObject.assign(o, args.extra)\nfor (const k in o) await agent(k)");
    assert_eq!(most_agents(&out), None);
}

/// Helpers that call the next one twice, 22 deep: 2^22 evaluations of the last, more than the
/// analysis's step budget, and as many agents.
fn too_intricate() -> String {
    let mut text = String::from("export const meta = { name: 'l', description: 'steps' }\n");
    for i in 0..22 {
        text.push_str(&format!(
            "function f{i}(x) {{ return f{n}(x) + f{n}(x) }}\n",
            n = i + 1
        ));
    }
    text.push_str("function f22(x) { return x }\nconst k = f0(1)\n");
    text.push_str("for (let i = 0; i < k; i++) await agent('a')\n");
    text.push_str("async function later() { await parallel([() => agent('b')]) }\nawait later()\n");
    text
}

#[test]
fn a_stopped_analysis_bounds_no_count_width_or_demand() {
    // Before: the sites after the stop were never evaluated and read as never running (× 0, no
    // items, nothing demanded), and `wfc check` passed a script that spawns 4 million agents.
    let text = too_intricate();
    let (w, d) = crate::compile(&text);
    assert!(d.is_empty(), "{d:?}");
    let w = w.expect("lowers");
    let a = crate::analysis::analyze(&w, &text, None);
    assert!(!a.total.hi.is_finite());
    assert_eq!(a.sites.len(), 2);
    for s in &a.sites {
        assert!(!s.count.hi.is_finite(), "{:?}", s.count);
        assert_eq!(
            s.count.hi.reason().map(|r| r.why.as_str()),
            Some(super::STOPPED)
        );
        // `later` was never called before the stop: its site may still run.
        assert!(s.reachable);
    }
    assert!(!a.max_items.hi.is_finite());
    assert!(!a.demand.is_finite());
}

#[test]
fn unsupported_syntax_makes_every_count_unbounded() {
    // `this.run(x)` is not in the IR: the agent it calls would read as never called.
    let text = "export const meta = { name: 'l', description: 'loops' }\nconst o = { run: (x) => agent(x), many(xs) { return Promise.all(xs.map(x => this.run(x))) } }\nawait o.many(args.xs)\n";
    let (w, d) = crate::compile(text);
    assert!(d.iter().any(|d| d.code == "unsupported-syntax"), "{d:?}");
    let w = w.expect("lowers");
    assert!(!w.unsupported.is_empty());
    let a = crate::analysis::analyze(&w, text, None);
    assert!(!a.total.hi.is_finite());
    assert!(a
        .sites
        .iter()
        .all(|s| !s.count.hi.is_finite() && s.reachable));
}

fn analyse_with(body: &str, args: &str) -> Outcome {
    let text = format!("export const meta = {{ name: 'l', description: 'args' }}\n{body}\n");
    let (w, d) = crate::compile(&text);
    assert!(d.is_empty(), "{d:?}");
    let args: serde_json::Value = serde_json::from_str(args).expect("args are JSON");
    run(&w.expect("lowers"), &text, Some(&args))
}

/// The script spawns exactly `n` agents, as far as the analysis can tell.
fn assert_exactly(out: &Outcome, n: u64) {
    let total = out.plan.total();
    assert_eq!((total.lo, most_agents(out)), (n, Some(n as f64)));
}

#[test]
fn known_strings_split_into_exactly_their_parts() {
    let body = "for (const f of args.files.split(',')) await agent(`f ${f}`)
for (const c of 'a-b--c'.split('-', args.n)) await agent(`c ${c}`)
for (const w of 'x😀'.split('')) await agent(`w ${w}`)";
    // 3 files, 3 of the 4 dashes' parts, 3 UTF-16 code units.
    assert_exactly(&analyse_with(body, r#"{"files":"a,b,c","n":3}"#), 9);
    // `''.split(',')` is `['']`; a limit of 0 gives nothing.
    assert_exactly(&analyse_with(body, r#"{"files":"","n":0}"#), 4);
}

#[test]
fn numbers_read_from_known_strings_are_exact() {
    let body = "for (let i = 0; i < (parseInt('x', 10) || 2); i++) await agent(`a ${i}`)
for (let i = 0; i < parseInt(args.n); i++) await agent(`b ${i}`)
for (let i = 0; i < Number(args.m); i++) await agent(`c ${i}`)";
    // 2, then parseInt('3.9') = 3, then Number('0x2') = 2.
    assert_exactly(&analyse_with(body, r#"{"n":"3.9","m":"0x2"}"#), 7);
}

#[test]
fn number_converts_other_primitives_directly() {
    // `Number(true)` is 1 and `Number(null)` 0, not `Number('true')` and `Number('null')` (`NaN`);
    // `parseFloat` does go through the string.
    let body = "for (let i = 0; i < Number(true) + Number(null) + Number(args.b) + 1; i++) await agent(`a ${i}`)
for (let i = 0; i < (parseFloat(true) || 3); i++) await agent(`b ${i}`)";
    assert_exactly(&analyse_with(body, r#"{"b":true}"#), 6);
}

#[test]
fn an_if_decided_by_the_values_drops_what_the_other_path_returns() {
    let body = "function parseArgs(a) {
  if (a && typeof a === 'object' && !Array.isArray(a)) return a
  if (typeof a === 'string') return JSON.parse(a)
  return {}
}
const cfg = parseArgs(args)
const files = Array.isArray(cfg.files) ? cfg.files : ['x', 'y', 'z', 'w']
for (const f of files) await agent(`f ${f}`)
function pick(n) {
  if (n === 2) { return 9 } else if (n === 1) return 1
  return 5
}
for (let i = 0; i < pick(cfg.n); i++) await agent(`p ${i}`)
function first(xs) {
  for (const x of xs) {
    if (x === 'b') continue
    return 6
  }
  return 8
}
for (let i = 0; i < first(['b']); i++) await agent(`q ${i}`)";
    // Two files, `pick(1)` is 1, and `first` skips its one element: the code after `continue`
    // never runs (the loop may still end without returning).
    assert_exactly(&analyse_with(body, r#"{"files":["a","b"],"n":1}"#), 11);
    // Without `args` only `first` is decided: 8 agents for it, the rest may be none.
    assert_eq!(analyse(body).plan.total().lo, 8);
}

#[test]
fn dead_code_still_counts_as_code_that_may_run_with_its_own_values() {
    let body = "if (!args || !args.goal) throw new Error('need a goal')
const n = args.rounds || 2
for (let i = 0; i < n; i++) await agent(`a ${i}`)";
    // The guard certainly throws: nothing is certain after it, but the loop reads its own `n`.
    let out = analyse_with(body, "{}");
    assert_eq!((out.plan.total().lo, most_agents(&out)), (0, Some(2.0)));
    // With a goal the guard is ruled out and the rest certainly runs.
    assert_exactly(&analyse_with(body, r#"{"goal":"g","rounds":3}"#), 3);
}
