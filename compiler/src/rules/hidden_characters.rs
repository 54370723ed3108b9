//! `hidden-characters`: invisible or direction-changing characters anywhere in the source
//! (Trojan Source, zero-width characters, Unicode tags, stray control characters).

use wfc_ir::Span;

use super::{Check, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "hidden-characters",
    severity: Severity::Error,
    summary: "The source contains invisible or direction-changing characters (bidi controls, zero-width characters, Unicode tags, control characters).",
    explanation: "Bidirectional controls make code read differently from how it runs (\"Trojan \
Source\", CVE-2021-42574); zero-width characters and Hangul fillers make two names that look the \
same differ; Unicode tag characters (U+E0000–U+E007F) are invisible but models read them, so a \
prompt can smuggle instructions to an agent that a reviewer never sees. None of these belong in a \
workflow script, and wfc looks for them everywhere, including strings and comments.\n\n\
Delete the character. If it is really wanted inside a string, write it as an escape \
(`'\\u200B'`) so that it is visible. A byte-order mark at the very start of the file is allowed, \
and so is a zero-width joiner between two emoji, which is part of one emoji (👨\u{200D}👩\u{200D}👧).",
    example: "export const meta = { name: 'x', description: 'y' }\nconst role = args.role === 'ad\u{200B}min' ? 'admin' : 'user'\n",
    check: Check::Ir(check),
};

/// Diagnostics reported per file before the rest are summed up in one.
const MAX_REPORTED: usize = 100;

fn check(ctx: &mut RuleContext<'_>) {
    if all_plain(ctx.text.as_bytes()) {
        return;
    }
    let mut reported = 0usize;
    let mut rest: Option<(Span, usize)> = None;
    for (offset, c) in hidden_chars(ctx.text) {
        let span = Span::new(offset as u32, (offset + c.len_utf8()) as u32);
        if reported < MAX_REPORTED {
            ctx.report(diagnostic(span, c));
            reported += 1;
        } else {
            let (_, n) = rest.get_or_insert((span, 0));
            *n += 1;
        }
    }
    if let Some((span, n)) = rest {
        ctx.report(
            Diagnostic::error(RULE.code, span, format!("… and {n} more hidden characters"))
                .label("the first one not listed")
                .help(format!(
                    "remove them all; only the first {MAX_REPORTED} are listed one by one"
                )),
        );
    }
}

/// Whether every byte is printable ASCII, a tab or a line break, as in most scripts: then
/// nothing is hidden. Branch-free over each chunk, so that it compiles to vector compares.
fn all_plain(bytes: &[u8]) -> bool {
    fn plain(b: u8) -> bool {
        (b.wrapping_sub(0x20) < 0x5F) | (b == b'\t') | (b == b'\n') | (b == b'\r')
    }
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        let mut bad = 0u8;
        for &b in chunk {
            bad |= u8::from(!plain(b));
        }
        if bad != 0 {
            return false;
        }
    }
    chunks.remainder().iter().all(|&b| plain(b))
}

/// The bytes of `w` (little-endian) that are not printable ASCII (`0x20..0x7F`), as the high bit
/// of each: exact up to and including the lowest one set, which is all that is used.
fn unprintable(w: u64) -> u64 {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte below 0x20 borrows through its high bit when 0x20 is subtracted; below the lowest
    // such byte nothing borrows, so that one is flagged exactly.
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let del = {
        let x = w ^ (ONES * 0x7F);
        x.wrapping_sub(ONES) & !x & HIGH
    };
    (w & HIGH) | control | del
}

/// The hidden characters of `text` with their byte offsets. Printable ASCII, the bulk of any
/// script, is skipped eight bytes at a time without decoding.
fn hidden_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if let Some(chunk) = bytes.get(i..i + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                match unprintable(u64::from_le_bytes(w)) {
                    0 => {
                        i += 8;
                        continue;
                    }
                    mask => i += mask.trailing_zeros() as usize / 8,
                }
            }
            let b = bytes[i];
            if (0x20..0x7F).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r') {
                i += 1;
                continue;
            }
            let at = i;
            if b < 0x80 {
                i += 1;
                return Some((at, char::from(b)));
            }
            let c = text.get(at..).and_then(|s| s.chars().next())?;
            i += c.len_utf8();
            if is_hidden(c) && !(c == '\u{FEFF}' && at == 0) && !joins_emoji(text, at, c) {
                return Some((at, c));
            }
        }
        None
    })
}

/// A zero-width joiner between two emoji is part of one emoji (a family, the rainbow flag), not
/// hidden text.
fn joins_emoji(text: &str, at: usize, c: char) -> bool {
    if c != '\u{200D}' {
        return false;
    }
    let before = text.get(..at).and_then(|s| s.chars().next_back());
    let after = text.get(at + c.len_utf8()..).and_then(|s| s.chars().next());
    // Before: an emoji, or the variation selector or skin tone that ends one.
    before.is_some_and(|b| is_pictographic(b) || b == '\u{FE0F}')
        && after.is_some_and(is_pictographic)
}

/// Emoji and the symbols emoji sequences are made of (an approximation of Unicode's
/// `Extended_Pictographic`, which includes the skin tones' block).
fn is_pictographic(c: char) -> bool {
    matches!(
        u32::from(c),
        0xA9 | 0xAE
            | 0x203C
            | 0x2049
            | 0x2122
            | 0x2139
            | 0x2190..=0x21FF
            | 0x2300..=0x23FF
            | 0x2460..=0x27BF
            | 0x2900..=0x297F
            | 0x2B00..=0x2BFF
            | 0x3030
            | 0x303D
            | 0x3297
            | 0x3299
            | 0x1F000..=0x1FAFF
    )
}

fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{B}'..='\u{C}'
            | '\u{E}'..='\u{1F}'
            | '\u{7F}'..='\u{9F}'
            | '\u{AD}'
            | '\u{61C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

fn diagnostic(span: Span, c: char) -> Diagnostic {
    let cp = u32::from(c);
    let escape = if cp <= 0xFFFF {
        format!("\\u{cp:04X}")
    } else {
        format!("\\u{{{cp:X}}}")
    };
    let label = match cp {
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => {
            "changes the direction text is displayed in".to_owned()
        }
        0xE0020..=0xE007E => format!(
            "invisible tag for `{}`",
            char::from_u32(cp - 0xE0000).unwrap_or('?')
        ),
        0x2028 | 0x2029 => "an invisible line break".to_owned(),
        _ => "invisible".to_owned(),
    };
    Diagnostic::error(
        RULE.code,
        span,
        format!("hidden character U+{cp:04X} {}", name(cp)),
    )
    .label(label)
    .help(format!(
        "remove it, or write it as an escape such as `{escape}` if it is intended"
    ))
}

const C0_NAMES: [&str; 32] = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "INFORMATION SEPARATOR FOUR",
    "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
];

fn name(cp: u32) -> &'static str {
    match cp {
        0x00..=0x1F => C0_NAMES[cp as usize],
        0x7F => "DELETE",
        0x85 => "NEXT LINE",
        0x80..=0x9F => "C1 CONTROL CHARACTER",
        0xAD => "SOFT HYPHEN",
        0x061C => "ARABIC LETTER MARK",
        0x115F => "HANGUL CHOSEONG FILLER",
        0x1160 => "HANGUL JUNGSEONG FILLER",
        0x180E => "MONGOLIAN VOWEL SEPARATOR",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x2028 => "LINE SEPARATOR",
        0x2029 => "PARAGRAPH SEPARATOR",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0x3164 => "HANGUL FILLER",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE",
        0xFFA0 => "HALFWIDTH HANGUL FILLER",
        0xE0001 => "LANGUAGE TAG",
        0xE007F => "CANCEL TAG",
        _ => "TAG CHARACTER",
    }
}

#[cfg(test)]
mod tests {
    use super::{all_plain, hidden_chars, unprintable};

    #[test]
    fn plain_text_is_printable_ascii_tabs_and_line_breaks() {
        for b in 0..=255u8 {
            let plain = (0x20..0x7F).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
            // Alone, and last in a run longer than one chunk.
            let mut long = vec![b'a'; 100];
            long.push(b);
            assert_eq!(all_plain(&[b]), plain, "{b:#04x}");
            assert_eq!(all_plain(&long), plain, "{b:#04x} after 100 bytes");
            // A plain text has no hidden characters; the fast test never hides one.
            if let Ok(text) = std::str::from_utf8(&long) {
                if all_plain(&long) {
                    assert_eq!(hidden_chars(text).count(), 0);
                }
            }
        }
        assert!(all_plain(b""));
        assert!(!all_plain("caf\u{e9}".as_bytes()));
    }

    #[test]
    fn the_word_test_finds_the_first_unprintable_byte_exactly() {
        // Every byte value at every position, after printable bytes and before anything.
        for b in 0..=255u8 {
            for at in 0..8 {
                for fill in [b'a', 0x00, 0xFF, 0x7F, 0x1F, 0x20] {
                    let mut w = [b'a'; 8];
                    w[at] = b;
                    for x in &mut w[at + 1..] {
                        *x = fill;
                    }
                    let mask = unprintable(u64::from_le_bytes(w));
                    let first = w.iter().position(|x| !(0x20..0x7F).contains(x));
                    let found = (mask != 0).then(|| mask.trailing_zeros() as usize / 8);
                    assert_eq!(found, first, "byte {b:#04x} at {at}, then {fill:#04x}");
                }
            }
        }
    }

    #[test]
    fn the_fast_scan_agrees_with_checking_every_character() {
        let pieces = [
            "a",
            "bcdefghij",
            "\n",
            "\t",
            "\r\n",
            "é",
            "\u{200B}",
            "\u{7}",
            "\u{7F}",
            "日本",
            "\u{E0041}",
            "\u{200D}",
            "👨",
            "\u{FE0F}",
        ];
        // A small deterministic generator: every mix of lengths and pieces up to a few words.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..2000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let n = (state % 12) as usize;
            for k in 0..n {
                let pick = (state >> (k * 4 % 56)) as usize % pieces.len();
                text.push_str(pieces[pick]);
            }
            let naive: Vec<(usize, char)> = text
                .char_indices()
                .filter(|&(at, c)| {
                    super::is_hidden(c)
                        && !(c == '\u{FEFF}' && at == 0)
                        && !super::joins_emoji(&text, at, c)
                })
                .collect();
            let fast: Vec<(usize, char)> = hidden_chars(&text).collect();
            assert_eq!(fast, naive, "{text:?}");
        }
    }

    #[test]
    fn control_characters_are_found_at_every_offset_of_a_word() {
        for len in 0..24 {
            for at in 0..len {
                let mut text = vec![b'x'; len];
                text[at] = 0x07;
                let text = String::from_utf8(text).expect("ascii");
                let found: Vec<usize> = hidden_chars(&text).map(|(o, _)| o).collect();
                assert_eq!(found, vec![at], "length {len}");
            }
        }
    }
    use crate::rules::test_util::{diagnostics_for, spanned};

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn bidi_override_in_a_comment_has_its_exact_span() {
        let src = format!("{META}const role = 'user' // \u{202E} admin\n");
        let d = diagnostics_for("hidden-characters", &src);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(spanned(&src, &d[0]), "\u{202E}");
        assert_eq!(d[0].span.len(), 3);
        assert_eq!(
            d[0].message,
            "hidden character U+202E RIGHT-TO-LEFT OVERRIDE"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("remove it, or write it as an escape such as `\\u202E` if it is intended")
        );
        assert!(d[0].label.is_some());
    }

    #[test]
    fn ordinary_text_is_quiet() {
        let src = format!(
            "\u{FEFF}{META}\t// héllo wörld — “quotes” 😀 日本語\r\nconst s = 'é\\u200B'\nreturn s\n"
        );
        assert!(diagnostics_for("hidden-characters", &src).is_empty());
    }

    #[test]
    fn joiners_inside_emoji_are_quiet_and_elsewhere_are_reported() {
        // Family, rainbow flag (after a variation selector), health worker (a symbol after the
        // joiner), a skin tone before the joiner.
        let quiet = format!(
            "{META}log('👨\u{200D}👩\u{200D}👧 done 🏳\u{FE0F}\u{200D}🌈 🧑\u{200D}⚕\u{FE0F} 👩🏽\u{200D}💻')\n"
        );
        assert!(diagnostics_for("hidden-characters", &quiet).is_empty());
        for src in [
            format!("{META}const role = 'ad\u{200D}min'\n"),
            format!("{META}log('👍\u{200D}')\n"),
            format!("{META}log('\u{200D}👍')\n"),
            format!("{META}log('👍\u{200D}x')\n"),
        ] {
            let d = diagnostics_for("hidden-characters", &src);
            assert_eq!(d.len(), 1, "{src:?}: {d:?}");
            assert_eq!(spanned(&src, &d[0]), "\u{200D}");
        }
    }

    #[test]
    fn every_kind_is_found_in_strings() {
        let hidden = [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{180E}',
            '\u{FEFF}',
            '\u{AD}',
            '\u{115F}',
            '\u{1160}',
            '\u{3164}',
            '\u{FFA0}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{1}',
            '\u{B}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{2028}',
            '\u{2029}',
            '\u{61C}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{2066}',
            '\u{2069}',
        ];
        let body: String = hidden.iter().map(|c| format!("'a{c}b', ")).collect();
        let src = format!("{META}const xs = [{body}]\n");
        let d = diagnostics_for("hidden-characters", &src);
        let got: Vec<_> = d.iter().map(|d| spanned(&src, d)).collect();
        let want: Vec<String> = hidden.iter().map(|c| c.to_string()).collect();
        assert_eq!(got, want);
        let tag = &d[11];
        assert_eq!(tag.message, "hidden character U+E0041 TAG CHARACTER");
        assert_eq!(tag.label.as_deref(), Some("invisible tag for `A`"));
        assert!(tag
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("`\\u{E0041}`"));
    }

    #[test]
    fn many_are_capped() {
        let src = format!("{META}// {}\n", "\u{200B}".repeat(150));
        let d = diagnostics_for("hidden-characters", &src);
        assert_eq!(d.len(), 101);
        assert_eq!(d[100].message, "… and 50 more hidden characters");
        assert!(d[100].span.start > d[99].span.start);
        assert_eq!(spanned(&src, &d[100]), "\u{200B}");
    }

    #[test]
    fn scanner_offsets() {
        let text = "a\u{7}é\u{200B}\u{FEFF}";
        let found: Vec<_> = hidden_chars(text).collect();
        assert_eq!(found, [(1, '\u{7}'), (4, '\u{200B}'), (7, '\u{FEFF}')]);
        assert_eq!(hidden_chars("\u{FEFF}x").count(), 0);
    }
}
