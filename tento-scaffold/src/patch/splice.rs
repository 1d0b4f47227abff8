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

/// One level of indentation as the file writes it: a tab when any line starts with
/// one, else the smallest run of leading spaces (four when there is none).
pub fn indent_unit(src: &str) -> String {
    if src.lines().any(|l| l.starts_with('\t')) {
        return "\t".to_owned();
    }
    let smallest = src
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|n| *n > 0)
        .min()
        .unwrap_or(4);
    " ".repeat(smallest)
}

/// `edited` with the line endings of `original`: when `original` ends every line with
/// `\r\n`, lines an editor added with a bare `\n` get the `\r` too. A file with mixed
/// endings is left as edited, since no single ending is its own.
pub fn match_newlines(original: &str, edited: String) -> String {
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

/// The byte of the `}` closing the `{` at byte `open` of `text`, skipping string
/// literals: the `#[rowkey]` DSL's segments are strings such as `":~acme:{authId}"`,
/// whose braces are no braces of the grammar.
pub fn closing_brace(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[open..].char_indices() {
        match (in_string, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_string = false,
            (true, _) => {}
            (false, '"') => in_string = true,
            (false, '{') => depth += 1,
            (false, '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
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
    fn line_endings_and_indentation_follow_the_file() {
        assert_eq!(newline_of("a\r\nb\r\n"), "\r\n");
        assert_eq!(newline_of("a\nb"), "\n");
        assert_eq!(newline_of("one line"), "\n");
        assert_eq!(indent_unit("fn a() {\n\tx();\n}\n"), "\t");
        assert_eq!(indent_unit("fn a() {\n  x();\n    y();\n}\n"), "  ");
        assert_eq!(indent_unit("fn a() {}\n"), "    ");
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
    fn closing_braces_skip_strings() {
        let text = r#"{ ":~a:{authId}" { ":x" { get } } "q\"{" } tail"#;
        assert_eq!(closing_brace(text, 0), Some(text.rfind('}').unwrap()));
        assert_eq!(closing_brace("{ {", 0), None);
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
