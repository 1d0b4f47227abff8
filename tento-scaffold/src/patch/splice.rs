//! Splicing text into a file at byte offsets, in the file's own style: its line ending
//! and the indentation of the lines around the spot. Every byte outside the inserted
//! span stays as it was.

/// The file's line ending: `\r\n` when its first line ends so, else `\n`.
pub fn newline_of(src: &str) -> &'static str {
    match src.find('\n') {
        Some(i) if i > 0 && src.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The start of the line holding byte `offset`.
pub fn line_start(src: &str, offset: usize) -> usize {
    src[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte just past the end of the line holding `offset` (past its line ending), or
/// the end of the file.
pub fn line_end(src: &str, offset: usize) -> usize {
    src[offset..].find('\n').map_or(src.len(), |i| offset + i + 1)
}

/// The whitespace that starts the line holding `offset`.
pub fn indent_at(src: &str, offset: usize) -> &str {
    let start = line_start(src, offset);
    let line = &src[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// One level of indentation as the file writes it: a tab when any line of code starts
/// with one, else the smallest run of leading spaces before code (four when there is
/// none). Lines inside comments and string literals are not code: the ` * ` lines of a
/// `/* … */` banner would make the unit one space.
pub fn indent_unit(src: &str) -> String {
    // A host's lib.rs may be many thousands of lines long: without a block comment, a
    // pass over line starts; with one, a pass over the code bytes (comments and
    // literals stepped over whole), looking at each line's first.
    if !src.contains("/*") {
        return indent_unit_of_lines(src);
    }
    let mut smallest = usize::MAX;
    let mut next_line = 0;
    for (i, b) in CodeBytes::new(src, 0) {
        if i < next_line || b.is_ascii_whitespace() {
            continue;
        }
        let start = line_start(src, i);
        next_line = line_end(src, i);
        let indent = &src[start..i];
        // Code after the end of a comment or string on the same line is no line start.
        if !indent.bytes().all(|c| c == b' ' || c == b'\t') {
            continue;
        }
        if indent.starts_with('\t') {
            return "\t".to_owned();
        }
        if !indent.is_empty() && !indent.contains('\t') {
            smallest = smallest.min(indent.len());
        }
    }
    " ".repeat(if smallest == usize::MAX { 4 } else { smallest })
}

/// [`indent_unit`] for a file without block comments: line starts, trimming a line only
/// when it could be the smallest; `//` comment lines are no code.
fn indent_unit_of_lines(src: &str) -> String {
    let mut smallest = usize::MAX;
    let mut at = 0;
    while at < src.len() {
        let end = line_end(src, at);
        let line = &src[at..end];
        if line.starts_with('\t') {
            if !line.trim_start().starts_with("//") {
                return "\t".to_owned();
            }
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if spaces > 0 && spaces < smallest {
                let rest = line[spaces..].trim_end();
                if !rest.is_empty() && !rest.starts_with("//") {
                    smallest = spaces;
                }
            }
        }
        at = end;
    }
    " ".repeat(if smallest == usize::MAX { 4 } else { smallest })
}

/// `edited` with the line endings of `original`: when `original` ends every line with
/// `\r\n`, lines an editor added with a bare `\n` get the `\r` too. A file with mixed
/// endings is left as edited, since no single ending is its own.
pub fn match_newlines(original: &str, edited: String) -> String {
    // A search for one byte first: most files have no `\r` at all.
    if !original.contains('\r') {
        return edited;
    }
    let crlf = original.matches("\r\n").count();
    if crlf == 0 || crlf != original.matches('\n').count() {
        return edited;
    }
    let mut out = String::with_capacity(edited.len() + edited.len() / 20);
    let mut prev = '\0';
    for c in edited.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// `edited` ending as `original` does: a file without a final newline gets none from
/// an edit, so `remove`, which cuts by the same rule, gives back the last line as it was
/// (an edit at the end of such a file would otherwise leave the newline behind).
pub fn keep_final_newline(original: &str, mut edited: String) -> String {
    if !original.is_empty() && !original.ends_with('\n') {
        let kept = edited.trim_end_matches(['\r', '\n']).len();
        edited.truncate(kept);
    }
    edited
}

/// The byte of the `}`, `]` or `)` closing the `{`, `[` or `(` at byte `open` of
/// `text`, counting only delimiters that are code: the `#[rowkey]` DSL's segments are
/// strings such as `":~acme:{authId}"`, and a function body may hold comments, chars
/// and raw strings, whose braces are no braces of the grammar.
pub fn closing_delimiter(text: &str, open: usize) -> Option<usize> {
    let (opens, closes) = match text.as_bytes().get(open)? {
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        b'(' => (b'(', b')'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (i, b) in CodeBytes::new(text, open) {
        if b == opens {
            depth += 1;
        } else if b == closes {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Whether the code at byte `at` of `text` is the keyword (or identifier) `word`, not
/// part of a longer identifier.
pub fn word_at(text: &str, at: usize, word: &str) -> bool {
    let ident = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let bytes = text.as_bytes();
    text[at..].starts_with(word)
        && !ident(at.checked_sub(1).and_then(|i| bytes.get(i)))
        && !ident(bytes.get(at + word.len()))
}

/// The bytes of a Rust text that are code, each with its offset: string, raw string,
/// char and byte literals and comments are stepped over whole (their delimiters
/// included), so a brace or a keyword found here is one of the grammar. It lexes only
/// as far as telling those apart needs, so scanning a long function costs a pass over
/// its bytes instead of a parse.
pub struct CodeBytes<'t> {
    text: &'t [u8],
    at: usize,
}

impl<'t> CodeBytes<'t> {
    /// The code bytes of `text` from byte `from` (which starts a token or sits between
    /// two).
    pub fn new(text: &'t str, from: usize) -> Self {
        CodeBytes {
            text: text.as_bytes(),
            at: from,
        }
    }

    /// The end of the literal or comment starting at `i`, when one does.
    #[inline(never)]
    fn literal_end(&self, i: usize) -> Option<usize> {
        let t = self.text;
        match t[i] {
            b'/' if t.get(i + 1) == Some(&b'/') => Some(self.line_comment_end(i)),
            b'/' if t.get(i + 1) == Some(&b'*') => Some(self.block_comment_end(i)),
            b'"' => Some(self.string_end(i)),
            b'\'' => self.char_end(i),
            _ => None,
        }
    }

    /// The end of the `//` comment at `i`: its line's end.
    fn line_comment_end(&self, i: usize) -> usize {
        let t = self.text;
        t[i..].iter().position(|&b| b == b'\n').map_or(t.len(), |n| i + n)
    }

    /// The end of the `/* … */` comment at `i`, nested ones included.
    fn block_comment_end(&self, i: usize) -> usize {
        let t = self.text;
        let mut depth = 0usize;
        let mut j = i;
        while j + 1 < t.len() {
            match (t[j], t[j + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    j += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        return j;
                    }
                }
                _ => j += 1,
            }
        }
        t.len()
    }

    /// The end of the string literal whose opening quote is at `i`, raw or not.
    fn string_end(&self, i: usize) -> usize {
        let t = self.text;
        if let Some(hashes) = self.raw_hashes(i) {
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            return t[i + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(t.len(), |n| i + 1 + n + close.len());
        }
        let mut j = i + 1;
        while j < t.len() {
            match t[j] {
                b'\\' => j += 2,
                b'"' => return j + 1,
                _ => j += 1,
            }
        }
        t.len()
    }

    /// How many hashes follow the `r` when the quote at `i` opens a raw string (`r"…"`,
    /// `r#"…"#`, `br"…"`, `cr#"…"#`: no escapes, closed by a quote and as many hashes).
    /// Told from the bytes before the quote, so the common `r` costs nothing elsewhere
    /// (the `r` and hashes before it went out as code, harmless: neither is a
    /// delimiter). Not `r#ident`, nor an identifier ending in `r`.
    fn raw_hashes(&self, i: usize) -> Option<usize> {
        let t = self.text;
        let ident = |j: usize| t.get(j).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        let hashes = t[..i].iter().rev().take_while(|&&b| b == b'#').count();
        let raw = i.checked_sub(hashes + 1).is_some_and(|r| {
            t[r] == b'r'
                && (!ident(r.wrapping_sub(1)) || matches!(t[r - 1], b'b' | b'c') && !ident(r.wrapping_sub(2)))
        });
        raw.then_some(hashes)
    }

    /// The end of the char literal at `i` (`'{'`, `'\''`, `'\u{7b}'`); `None` for a
    /// lifetime or label.
    fn char_end(&self, i: usize) -> Option<usize> {
        let t = self.text;
        if t.get(i + 1) == Some(&b'\\') {
            let quote = t.get(i + 3..)?.iter().position(|&b| b == b'\'')?;
            return Some(i + 3 + quote + 1);
        }
        let width = match t.get(i + 1)? {
            b if *b < 0x80 => 1,
            b if *b >= 0xf0 => 4,
            b if *b >= 0xe0 => 3,
            _ => 2,
        };
        (t.get(i + 1 + width) == Some(&b'\'')).then_some(i + 2 + width)
    }
}

impl Iterator for CodeBytes<'_> {
    type Item = (usize, u8);

    // Inlined into each scan's loop: it runs once per byte of every file scanned.
    #[inline]
    fn next(&mut self) -> Option<(usize, u8)> {
        while self.at < self.text.len() {
            let i = self.at;
            // Most bytes start no literal or comment.
            if !matches!(self.text[i], b'/' | b'"' | b'\'') {
                self.at = i + 1;
                return Some((i, self.text[i]));
            }
            match self.literal_end(i) {
                Some(end) => self.at = end,
                None => {
                    self.at = i + 1;
                    return Some((i, self.text[i]));
                }
            }
        }
        None
    }
}

/// `text` without whitespace, for comparing code however it was laid out.
pub fn compact(text: &str) -> String {
    // Byte by byte when ASCII (a host's lib.rs is long): no char decoding.
    if text.is_ascii() {
        // `char::is_whitespace` counts the vertical tab too.
        let bytes: Vec<u8> = text
            .bytes()
            .filter(|b| !b.is_ascii_whitespace() && *b != 0x0b)
            .collect();
        return String::from_utf8(bytes).unwrap_or_default();
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `text` with its comments and literals blanked to spaces (line breaks kept), so that a
/// search finds only code: a registration commented out is not a registration.
pub fn code_only(text: &str) -> String {
    let mut out: Vec<u8> = text.bytes().map(|b| if b == b'\n' { b } else { b' ' }).collect();
    for (i, b) in CodeBytes::new(text, 0) {
        out[i] = b;
    }
    // Comments and literals begin and end at ASCII delimiters (or the end), so what
    // is blanked is whole characters and the bytes stay UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `src` with `text` inserted at byte `offset`.
pub fn insert(src: &str, offset: usize, text: &str) -> String {
    let mut out = String::with_capacity(src.len() + text.len());
    out.push_str(&src[..offset]);
    out.push_str(text);
    out.push_str(&src[offset..]);
    out
}

/// `lines` (written with `\n`) as a block of whole lines, each indented by `indent`
/// (blank lines left blank), ending in `newline`.
pub fn block(lines: &str, indent: &str, newline: &str) -> String {
    lines
        .lines()
        .map(|l| {
            if l.is_empty() {
                newline.to_owned()
            } else {
                format!("{indent}{l}{newline}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_only_blanks_comments_and_literals_and_keeps_lines() {
        let src = "a /* b */ \"c // d\" 'é' // f\ng r#\"h\"# é";
        let code = code_only(src);
        assert_eq!(code.len(), src.len());
        assert_eq!(code.split_whitespace().collect::<Vec<_>>(), ["a", "g", "r#", "é"]);
        assert_eq!(code.lines().count(), 2);
    }

    #[test]
    fn line_endings_and_indentation_follow_the_file() {
        assert_eq!(newline_of("a\r\nb\r\n"), "\r\n");
        assert_eq!(newline_of("a\nb"), "\n");
        assert_eq!(newline_of("one line"), "\n");
        assert_eq!(indent_unit("fn a() {\n\tx();\n}\n"), "\t");
        assert_eq!(indent_unit("fn a() {\n  x();\n    y();\n}\n"), "  ");
        assert_eq!(indent_unit("fn a() {}\n"), "    ");
        assert_eq!(
            indent_unit("/*\n * Banner.\n *  More.\n */\nfn a() {\n    x(\"\n  in a string\");\n}\n"),
            "    ",
            "comment and string lines are no indentation"
        );
        assert_eq!(
            indent_unit("/*\n\t* tabbed banner\n */\nfn a() {\n  x();\n}\n"),
            "  "
        );
        let src = "a\n    b();\nc";
        assert_eq!(indent_at(src, 8), "    ");
        assert_eq!(line_start(src, 8), 2);
        assert_eq!(line_end(src, 3), 11);
        assert_eq!(line_end(src, 11), src.len());
    }

    #[test]
    fn a_block_is_indented_and_uses_the_given_newline() {
        assert_eq!(
            block("a\n\nb {\n    c\n}", "\t", "\r\n"),
            "\ta\r\n\r\n\tb {\r\n\t    c\r\n\t}\r\n"
        );
        assert_eq!(insert("ab", 1, "X"), "aXb");
    }

    #[test]
    fn closing_delimiters_skip_strings() {
        let text = r#"{ ":~a:{authId}" { ":x" { get } } "q\"{" } tail"#;
        assert_eq!(closing_delimiter(text, 0), Some(text.rfind('}').unwrap()));
        assert_eq!(closing_delimiter("{ {", 0), None);
    }

    #[test]
    fn closing_delimiters_skip_comments_chars_and_raw_strings() {
        let text = "{ let c = '{'; let q = '\\''; let u = '\\u{7b}'; // }\n /* } /* } */ } */ let r = r#\"}\"#; let b = br\"}\"; fn f<'a>(x: &'a str) -> &'a str { x } } tail";
        assert_eq!(
            closing_delimiter(text, 0),
            Some(text.rfind('}').unwrap()),
            "{text}"
        );
        let idents = "{ let bar = \"}\"; let r#fn = 1; }";
        assert_eq!(closing_delimiter(idents, 0), Some(idents.len() - 1));
    }

    /// Every delimited group of real Rust files, as proc_macro2's lexer groups them.
    #[test]
    fn closing_delimiters_match_the_lexers_groups_in_this_crates_sources() {
        fn groups(stream: proc_macro2::TokenStream, found: &mut Vec<(usize, usize)>) {
            for tree in stream {
                if let proc_macro2::TokenTree::Group(g) = tree {
                    if g.delimiter() != proc_macro2::Delimiter::None {
                        found.push((
                            g.span_open().byte_range().start,
                            g.span_close().byte_range().start,
                        ));
                    }
                    groups(g.stream(), found);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(root.join("src"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("tests")))
        {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let src = std::fs::read_to_string(entry.path()).unwrap();
            let mut found = Vec::new();
            groups(src.parse().unwrap(), &mut found);
            // Doc comments come as `#[doc = …]` groups spanning the comment: skipped.
            for (open, close) in found
                .into_iter()
                .filter(|(open, _)| b"{[(".contains(&src.as_bytes()[*open]))
            {
                assert_eq!(
                    closing_delimiter(&src, open),
                    Some(close),
                    "{}: the delimiter at {open}",
                    entry.path().display()
                );
                checked += 1;
            }
        }
        assert!(checked > 1000, "{checked} groups");
    }

    #[test]
    fn an_edit_keeps_a_missing_final_newline_missing() {
        assert_eq!(
            keep_final_newline("a\r\nb", "a\r\nb\r\nc\r\n".into()),
            "a\r\nb\r\nc"
        );
        assert_eq!(keep_final_newline("a\nb\n", "a\nb\nc\n".into()), "a\nb\nc\n");
    }

    #[test]
    fn added_lines_take_the_files_crlf_endings() {
        assert_eq!(
            match_newlines("a\r\nb\r\n", "a\r\nnew\nb\r\n".into()),
            "a\r\nnew\r\nb\r\n"
        );
        assert_eq!(match_newlines("a\nb\n", "a\nnew\nb\n".into()), "a\nnew\nb\n");
        assert_eq!(
            match_newlines("a\r\nb\n", "a\r\nx\nb\n".into()),
            "a\r\nx\nb\n",
            "mixed stays as edited"
        );
    }
}
